from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product_channel import ProductChannel, check_product_channel
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.custom_attribute import CustomAttribute
    from ..models.installment import Installment
    from ..models.loyalty_points import LoyaltyPoints
    from ..models.price import Price
    from ..models.product_filters import ProductFilters
    from ..models.product_shipping import ProductShipping
    from ..models.product_shipping_dimension import ProductShippingDimension
    from ..models.product_shipping_weight import ProductShippingWeight
    from ..models.product_tax import ProductTax
    from ..models.product_unit_pricing_base_measure import ProductUnitPricingBaseMeasure
    from ..models.product_unit_pricing_measure import ProductUnitPricingMeasure


T = TypeVar("T", bound="Product")


@_attrs_define
class Product:
    """The data describing one product of a catalog."""

    id: str
    """ The advertiser's identifier of the product. """
    image_link: str
    """ URL of the main picture of the product, up to 2000 characters. """
    link: str
    """ URL of the product page, up to 1000 characters. """
    title: str
    """ The name of the product, up to 500 characters. """
    additional_image_links: list[str] | Unset = UNSET
    """ URLs of further pictures of the product. """
    ads_grouping: str | Unset = UNSET
    """ Free-form value used to group products for advertising. """
    ads_labels: list[str] | Unset = UNSET
    """ Free-form labels attached to the product for advertising. """
    ads_redirect: str | Unset = UNSET
    """ Alternative URL to use for the product page in ads. """
    adult: bool | Unset = UNSET
    """ Whether the product is meant for adults only. """
    age_group: str | Unset = UNSET
    """ The age group the product is aimed at. """
    availability: str | Unset = UNSET
    """ The stock status of the product. """
    availability_date: str | Unset = UNSET
    """ The date from which a pre-ordered product becomes available. """
    badge: str | Unset = UNSET
    """ URL of a badge picture to overlay on the product image. """
    brand: str | Unset = UNSET
    """ The brand of the product. """
    channel: ProductChannel | Unset = "online"
    """ The sales channel of the product; only online is accepted. """
    color: str | Unset = UNSET
    """ The colour of the product. """
    condition: str | Unset = UNSET
    """ The state of the product (new, used, refurbished...). """
    content_language: str | Unset = UNSET
    """ Two-letter code of the language the product data is written in. """
    cost_of_goods_sold: Price | Unset = UNSET
    """ An amount of money in a given currency. """
    custom_attributes: list[CustomAttribute] | Unset = UNSET
    """ Extra name/value pairs not covered by the other fields. """
    custom_label_0: str | Unset = UNSET
    """ First free-form label usable for grouping products. """
    custom_label_1: str | Unset = UNSET
    """ Second free-form label usable for grouping products. """
    custom_label_2: str | Unset = UNSET
    """ Third free-form label usable for grouping products. """
    custom_label_3: str | Unset = UNSET
    """ Fourth free-form label usable for grouping products. """
    custom_label_4: str | Unset = UNSET
    """ Fifth free-form label usable for grouping products. """
    description: str | Unset = UNSET
    """ Text describing the product, up to 5000 characters. """
    display_ads_id: str | Unset = UNSET
    """ Identifier of the product for dynamic display ads. """
    display_ads_link: str | Unset = UNSET
    """ URL to use for the product in dynamic display ads. """
    display_ads_similar_ids: list[str] | Unset = UNSET
    """ Identifiers of products related to this one, for display ads. """
    display_ads_title: str | Unset = UNSET
    """ Title to use for the product in dynamic display ads. """
    display_ads_value: float | Unset = UNSET
    """ Margin or value of the product, for display ads bidding. """
    energy_efficiency_class: str | Unset = UNSET
    """ The energy label of the product. """
    excluded_destinations: list[str] | Unset = UNSET
    """ Destinations where the product must not be shown. """
    expiration_date: str | Unset = UNSET
    """ The date after which the product should no longer be shown. """
    external_seller_id: str | Unset = UNSET
    """ Identifier of the marketplace seller offering the product, up to 50 characters. """
    external_seller_name: str | Unset = UNSET
    """ Name of the marketplace seller offering the product, up to 50 characters. """
    filters: ProductFilters | Unset = UNSET
    """ Named lists of values that can be used to filter products. """
    gender: str | Unset = UNSET
    """ The gender the product is aimed at. """
    google_product_category: None | str | Unset = UNSET
    """ The category of the product in Google's product taxonomy. """
    gtin: str | Unset = UNSET
    """ The Global Trade Item Number of the product. """
    identifier_exists: bool | Unset = UNSET
    """ Whether the product has a manufacturer identifier (GTIN, MPN or brand). """
    included_destinations: list[str] | Unset = UNSET
    """ Destinations where the product may be shown. """
    installment: Installment | Unset = UNSET
    """ A plan for paying for a product in monthly payments. """
    is_bundle: bool | Unset = UNSET
    """ Whether the product is a bundle of several items. """
    item_group_id: str | Unset = UNSET
    """ Identifier shared by the variants of the same product, up to 50 characters. """
    kind: str | Unset = UNSET
    """ The type of resource this object represents. """
    loyalty_points: LoyaltyPoints | Unset = UNSET
    """ Loyalty points earned by buying a product. """
    material: str | Unset = UNSET
    """ What the product is made of. """
    max_energy_efficiency_class: str | Unset = UNSET
    """ The highest energy label of the product's category scale. """
    max_handling_time: int | Unset = UNSET
    """ Largest number of working days before the product ships. """
    min_energy_efficiency_class: str | Unset = UNSET
    """ The lowest energy label of the product's category scale. """
    min_handling_time: int | Unset = UNSET
    """ Smallest number of working days before the product ships. """
    mobile_link: str | Unset = UNSET
    """ URL of the product page optimised for mobile devices. """
    mpn: str | Unset = UNSET
    """ The manufacturer part number of the product. """
    multipack: int | str | Unset = UNSET
    """ Number of identical items sold together as one offer. Criteo's documentation asks for this value to be sent
    as a string. """
    number_of_reviews: int | Unset = UNSET
    """ How many customer reviews the product has received. """
    offer_id: str | Unset = UNSET
    """ The advertiser's identifier of the offer. """
    pattern: str | Unset = UNSET
    """ The pattern or print of the product. """
    price: Price | Unset = UNSET
    """ An amount of money in a given currency. """
    product_rating: str | Unset = UNSET
    """ The average customer rating of the product. """
    product_type_keys: list[str] | Unset = UNSET
    """ Keys of the advertiser's own categories for the product. """
    product_types: list[str] | Unset = UNSET
    """ The advertiser's own category paths for the product. """
    promotion_ids: list[str] | Unset = UNSET
    """ Identifiers of the promotions that apply to the product. """
    sale_price: Price | Unset = UNSET
    """ An amount of money in a given currency. """
    sale_price_effective_date: str | Unset = UNSET
    """ The period during which the sale price applies. """
    seller_id: str | Unset = UNSET
    """ Identifier of the seller of the product, up to 50 characters. """
    sell_on_google_quantity: int | Unset = UNSET
    """ Quantity of the product available for sale on Google. """
    shipping: list[ProductShipping] | Unset = UNSET
    """ Shipping rules and costs for the product. """
    shipping_height: ProductShippingDimension | Unset = UNSET
    """ One dimension of the package a product ships in. """
    shipping_label: str | Unset = UNSET
    """ Label used to pick shipping rules for the product. """
    shipping_length: ProductShippingDimension | Unset = UNSET
    """ One dimension of the package a product ships in. """
    shipping_weight: ProductShippingWeight | Unset = UNSET
    """ The weight of the package a product ships in. """
    shipping_width: ProductShippingDimension | Unset = UNSET
    """ One dimension of the package a product ships in. """
    sizes: list[str] | Unset = UNSET
    """ The sizes in which the product is offered. """
    size_system: str | Unset = UNSET
    """ The country system the sizes are expressed in. """
    size_type: str | Unset = UNSET
    """ The cut of the product (regular, petite, plus...). """
    source: str | Unset = UNSET
    """ Where the product data comes from. """
    target_country: str | Unset = UNSET
    """ Code of the country where the product is sold. """
    tax_category: str | Unset = UNSET
    """ Category used to pick tax rules for the product. """
    taxes: list[ProductTax] | Unset = UNSET
    """ Tax rules that apply to the product. """
    transit_time_label: str | Unset = UNSET
    """ Label used to pick delivery time rules for the product. """
    unit_pricing_base_measure: ProductUnitPricingBaseMeasure | Unset = UNSET
    """ The reference quantity used when showing a price per unit. """
    unit_pricing_measure: ProductUnitPricingMeasure | Unset = UNSET
    """ The quantity of product in the offer, used for unit pricing. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        image_link = self.image_link

        link = self.link

        title = self.title

        additional_image_links: list[str] | Unset = UNSET
        if not isinstance(self.additional_image_links, Unset):
            additional_image_links = self.additional_image_links

        ads_grouping = self.ads_grouping

        ads_labels: list[str] | Unset = UNSET
        if not isinstance(self.ads_labels, Unset):
            ads_labels = self.ads_labels

        ads_redirect = self.ads_redirect

        adult = self.adult

        age_group = self.age_group

        availability = self.availability

        availability_date = self.availability_date

        badge = self.badge

        brand = self.brand

        channel: str | Unset = UNSET
        if not isinstance(self.channel, Unset):
            channel = self.channel

        color = self.color

        condition = self.condition

        content_language = self.content_language

        cost_of_goods_sold: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cost_of_goods_sold, Unset):
            cost_of_goods_sold = self.cost_of_goods_sold.to_dict()

        custom_attributes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.custom_attributes, Unset):
            custom_attributes = []
            for custom_attributes_item_data in self.custom_attributes:
                custom_attributes_item = custom_attributes_item_data.to_dict()
                custom_attributes.append(custom_attributes_item)

        custom_label_0 = self.custom_label_0

        custom_label_1 = self.custom_label_1

        custom_label_2 = self.custom_label_2

        custom_label_3 = self.custom_label_3

        custom_label_4 = self.custom_label_4

        description = self.description

        display_ads_id = self.display_ads_id

        display_ads_link = self.display_ads_link

        display_ads_similar_ids: list[str] | Unset = UNSET
        if not isinstance(self.display_ads_similar_ids, Unset):
            display_ads_similar_ids = self.display_ads_similar_ids

        display_ads_title = self.display_ads_title

        display_ads_value = self.display_ads_value

        energy_efficiency_class = self.energy_efficiency_class

        excluded_destinations: list[str] | Unset = UNSET
        if not isinstance(self.excluded_destinations, Unset):
            excluded_destinations = self.excluded_destinations

        expiration_date = self.expiration_date

        external_seller_id = self.external_seller_id

        external_seller_name = self.external_seller_name

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        gender = self.gender

        google_product_category: None | str | Unset
        if isinstance(self.google_product_category, Unset):
            google_product_category = UNSET
        else:
            google_product_category = self.google_product_category

        gtin = self.gtin

        identifier_exists = self.identifier_exists

        included_destinations: list[str] | Unset = UNSET
        if not isinstance(self.included_destinations, Unset):
            included_destinations = self.included_destinations

        installment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.installment, Unset):
            installment = self.installment.to_dict()

        is_bundle = self.is_bundle

        item_group_id = self.item_group_id

        kind = self.kind

        loyalty_points: dict[str, Any] | Unset = UNSET
        if not isinstance(self.loyalty_points, Unset):
            loyalty_points = self.loyalty_points.to_dict()

        material = self.material

        max_energy_efficiency_class = self.max_energy_efficiency_class

        max_handling_time = self.max_handling_time

        min_energy_efficiency_class = self.min_energy_efficiency_class

        min_handling_time = self.min_handling_time

        mobile_link = self.mobile_link

        mpn = self.mpn

        multipack: int | str | Unset
        if isinstance(self.multipack, Unset):
            multipack = UNSET
        else:
            multipack = self.multipack

        number_of_reviews = self.number_of_reviews

        offer_id = self.offer_id

        pattern = self.pattern

        price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.price, Unset):
            price = self.price.to_dict()

        product_rating = self.product_rating

        product_type_keys: list[str] | Unset = UNSET
        if not isinstance(self.product_type_keys, Unset):
            product_type_keys = self.product_type_keys

        product_types: list[str] | Unset = UNSET
        if not isinstance(self.product_types, Unset):
            product_types = self.product_types

        promotion_ids: list[str] | Unset = UNSET
        if not isinstance(self.promotion_ids, Unset):
            promotion_ids = self.promotion_ids

        sale_price: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sale_price, Unset):
            sale_price = self.sale_price.to_dict()

        sale_price_effective_date = self.sale_price_effective_date

        seller_id = self.seller_id

        sell_on_google_quantity = self.sell_on_google_quantity

        shipping: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.shipping, Unset):
            shipping = []
            for shipping_item_data in self.shipping:
                shipping_item = shipping_item_data.to_dict()
                shipping.append(shipping_item)

        shipping_height: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping_height, Unset):
            shipping_height = self.shipping_height.to_dict()

        shipping_label = self.shipping_label

        shipping_length: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping_length, Unset):
            shipping_length = self.shipping_length.to_dict()

        shipping_weight: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping_weight, Unset):
            shipping_weight = self.shipping_weight.to_dict()

        shipping_width: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shipping_width, Unset):
            shipping_width = self.shipping_width.to_dict()

        sizes: list[str] | Unset = UNSET
        if not isinstance(self.sizes, Unset):
            sizes = self.sizes

        size_system = self.size_system

        size_type = self.size_type

        source = self.source

        target_country = self.target_country

        tax_category = self.tax_category

        taxes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.taxes, Unset):
            taxes = []
            for taxes_item_data in self.taxes:
                taxes_item = taxes_item_data.to_dict()
                taxes.append(taxes_item)

        transit_time_label = self.transit_time_label

        unit_pricing_base_measure: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unit_pricing_base_measure, Unset):
            unit_pricing_base_measure = self.unit_pricing_base_measure.to_dict()

        unit_pricing_measure: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unit_pricing_measure, Unset):
            unit_pricing_measure = self.unit_pricing_measure.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "imageLink": image_link,
                "link": link,
                "title": title,
            }
        )
        if additional_image_links is not UNSET:
            field_dict["additionalImageLinks"] = additional_image_links
        if ads_grouping is not UNSET:
            field_dict["adsGrouping"] = ads_grouping
        if ads_labels is not UNSET:
            field_dict["adsLabels"] = ads_labels
        if ads_redirect is not UNSET:
            field_dict["adsRedirect"] = ads_redirect
        if adult is not UNSET:
            field_dict["adult"] = adult
        if age_group is not UNSET:
            field_dict["ageGroup"] = age_group
        if availability is not UNSET:
            field_dict["availability"] = availability
        if availability_date is not UNSET:
            field_dict["availabilityDate"] = availability_date
        if badge is not UNSET:
            field_dict["badge"] = badge
        if brand is not UNSET:
            field_dict["brand"] = brand
        if channel is not UNSET:
            field_dict["channel"] = channel
        if color is not UNSET:
            field_dict["color"] = color
        if condition is not UNSET:
            field_dict["condition"] = condition
        if content_language is not UNSET:
            field_dict["contentLanguage"] = content_language
        if cost_of_goods_sold is not UNSET:
            field_dict["costOfGoodsSold"] = cost_of_goods_sold
        if custom_attributes is not UNSET:
            field_dict["customAttributes"] = custom_attributes
        if custom_label_0 is not UNSET:
            field_dict["customLabel0"] = custom_label_0
        if custom_label_1 is not UNSET:
            field_dict["customLabel1"] = custom_label_1
        if custom_label_2 is not UNSET:
            field_dict["customLabel2"] = custom_label_2
        if custom_label_3 is not UNSET:
            field_dict["customLabel3"] = custom_label_3
        if custom_label_4 is not UNSET:
            field_dict["customLabel4"] = custom_label_4
        if description is not UNSET:
            field_dict["description"] = description
        if display_ads_id is not UNSET:
            field_dict["displayAdsId"] = display_ads_id
        if display_ads_link is not UNSET:
            field_dict["displayAdsLink"] = display_ads_link
        if display_ads_similar_ids is not UNSET:
            field_dict["displayAdsSimilarIds"] = display_ads_similar_ids
        if display_ads_title is not UNSET:
            field_dict["displayAdsTitle"] = display_ads_title
        if display_ads_value is not UNSET:
            field_dict["displayAdsValue"] = display_ads_value
        if energy_efficiency_class is not UNSET:
            field_dict["energyEfficiencyClass"] = energy_efficiency_class
        if excluded_destinations is not UNSET:
            field_dict["excludedDestinations"] = excluded_destinations
        if expiration_date is not UNSET:
            field_dict["expirationDate"] = expiration_date
        if external_seller_id is not UNSET:
            field_dict["externalSellerId"] = external_seller_id
        if external_seller_name is not UNSET:
            field_dict["externalSellerName"] = external_seller_name
        if filters is not UNSET:
            field_dict["filters"] = filters
        if gender is not UNSET:
            field_dict["gender"] = gender
        if google_product_category is not UNSET:
            field_dict["googleProductCategory"] = google_product_category
        if gtin is not UNSET:
            field_dict["gtin"] = gtin
        if identifier_exists is not UNSET:
            field_dict["identifierExists"] = identifier_exists
        if included_destinations is not UNSET:
            field_dict["includedDestinations"] = included_destinations
        if installment is not UNSET:
            field_dict["installment"] = installment
        if is_bundle is not UNSET:
            field_dict["isBundle"] = is_bundle
        if item_group_id is not UNSET:
            field_dict["itemGroupId"] = item_group_id
        if kind is not UNSET:
            field_dict["kind"] = kind
        if loyalty_points is not UNSET:
            field_dict["loyaltyPoints"] = loyalty_points
        if material is not UNSET:
            field_dict["material"] = material
        if max_energy_efficiency_class is not UNSET:
            field_dict["maxEnergyEfficiencyClass"] = max_energy_efficiency_class
        if max_handling_time is not UNSET:
            field_dict["maxHandlingTime"] = max_handling_time
        if min_energy_efficiency_class is not UNSET:
            field_dict["minEnergyEfficiencyClass"] = min_energy_efficiency_class
        if min_handling_time is not UNSET:
            field_dict["minHandlingTime"] = min_handling_time
        if mobile_link is not UNSET:
            field_dict["mobileLink"] = mobile_link
        if mpn is not UNSET:
            field_dict["mpn"] = mpn
        if multipack is not UNSET:
            field_dict["multipack"] = multipack
        if number_of_reviews is not UNSET:
            field_dict["numberOfReviews"] = number_of_reviews
        if offer_id is not UNSET:
            field_dict["offerId"] = offer_id
        if pattern is not UNSET:
            field_dict["pattern"] = pattern
        if price is not UNSET:
            field_dict["price"] = price
        if product_rating is not UNSET:
            field_dict["productRating"] = product_rating
        if product_type_keys is not UNSET:
            field_dict["productTypeKeys"] = product_type_keys
        if product_types is not UNSET:
            field_dict["productTypes"] = product_types
        if promotion_ids is not UNSET:
            field_dict["promotionIds"] = promotion_ids
        if sale_price is not UNSET:
            field_dict["salePrice"] = sale_price
        if sale_price_effective_date is not UNSET:
            field_dict["salePriceEffectiveDate"] = sale_price_effective_date
        if seller_id is not UNSET:
            field_dict["sellerId"] = seller_id
        if sell_on_google_quantity is not UNSET:
            field_dict["sellOnGoogleQuantity"] = sell_on_google_quantity
        if shipping is not UNSET:
            field_dict["shipping"] = shipping
        if shipping_height is not UNSET:
            field_dict["shippingHeight"] = shipping_height
        if shipping_label is not UNSET:
            field_dict["shippingLabel"] = shipping_label
        if shipping_length is not UNSET:
            field_dict["shippingLength"] = shipping_length
        if shipping_weight is not UNSET:
            field_dict["shippingWeight"] = shipping_weight
        if shipping_width is not UNSET:
            field_dict["shippingWidth"] = shipping_width
        if sizes is not UNSET:
            field_dict["sizes"] = sizes
        if size_system is not UNSET:
            field_dict["sizeSystem"] = size_system
        if size_type is not UNSET:
            field_dict["sizeType"] = size_type
        if source is not UNSET:
            field_dict["source"] = source
        if target_country is not UNSET:
            field_dict["targetCountry"] = target_country
        if tax_category is not UNSET:
            field_dict["taxCategory"] = tax_category
        if taxes is not UNSET:
            field_dict["taxes"] = taxes
        if transit_time_label is not UNSET:
            field_dict["transitTimeLabel"] = transit_time_label
        if unit_pricing_base_measure is not UNSET:
            field_dict["unitPricingBaseMeasure"] = unit_pricing_base_measure
        if unit_pricing_measure is not UNSET:
            field_dict["unitPricingMeasure"] = unit_pricing_measure

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_attribute import CustomAttribute  # noqa: PLC0415
        from ..models.installment import Installment  # noqa: PLC0415
        from ..models.loyalty_points import LoyaltyPoints  # noqa: PLC0415
        from ..models.price import Price  # noqa: PLC0415
        from ..models.product_filters import ProductFilters  # noqa: PLC0415
        from ..models.product_shipping import ProductShipping  # noqa: PLC0415
        from ..models.product_shipping_dimension import ProductShippingDimension  # noqa: PLC0415
        from ..models.product_shipping_weight import ProductShippingWeight  # noqa: PLC0415
        from ..models.product_tax import ProductTax  # noqa: PLC0415
        from ..models.product_unit_pricing_base_measure import ProductUnitPricingBaseMeasure  # noqa: PLC0415
        from ..models.product_unit_pricing_measure import ProductUnitPricingMeasure  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        image_link = d.pop("imageLink")

        link = d.pop("link")

        title = d.pop("title")

        additional_image_links = cast(list[str], d.pop("additionalImageLinks", UNSET))

        ads_grouping = d.pop("adsGrouping", UNSET)

        ads_labels = cast(list[str], d.pop("adsLabels", UNSET))

        ads_redirect = d.pop("adsRedirect", UNSET)

        adult = d.pop("adult", UNSET)

        age_group = d.pop("ageGroup", UNSET)

        availability = d.pop("availability", UNSET)

        availability_date = d.pop("availabilityDate", UNSET)

        badge = d.pop("badge", UNSET)

        brand = d.pop("brand", UNSET)

        _channel = d.pop("channel", UNSET)
        channel: ProductChannel | Unset
        if isinstance(_channel, Unset):
            channel = UNSET
        else:
            channel = check_product_channel(_channel)

        color = d.pop("color", UNSET)

        condition = d.pop("condition", UNSET)

        content_language = d.pop("contentLanguage", UNSET)

        _cost_of_goods_sold = d.pop("costOfGoodsSold", UNSET)
        cost_of_goods_sold: Price | Unset
        if isinstance(_cost_of_goods_sold, Unset):
            cost_of_goods_sold = UNSET
        else:
            cost_of_goods_sold = Price.from_dict(_cost_of_goods_sold)

        _custom_attributes = d.pop("customAttributes", UNSET)
        custom_attributes: list[CustomAttribute] | Unset = UNSET
        if _custom_attributes is not UNSET:
            custom_attributes = []
            for custom_attributes_item_data in _custom_attributes:
                custom_attributes_item = CustomAttribute.from_dict(custom_attributes_item_data)

                custom_attributes.append(custom_attributes_item)

        custom_label_0 = d.pop("customLabel0", UNSET)

        custom_label_1 = d.pop("customLabel1", UNSET)

        custom_label_2 = d.pop("customLabel2", UNSET)

        custom_label_3 = d.pop("customLabel3", UNSET)

        custom_label_4 = d.pop("customLabel4", UNSET)

        description = d.pop("description", UNSET)

        display_ads_id = d.pop("displayAdsId", UNSET)

        display_ads_link = d.pop("displayAdsLink", UNSET)

        display_ads_similar_ids = cast(list[str], d.pop("displayAdsSimilarIds", UNSET))

        display_ads_title = d.pop("displayAdsTitle", UNSET)

        display_ads_value = d.pop("displayAdsValue", UNSET)

        energy_efficiency_class = d.pop("energyEfficiencyClass", UNSET)

        excluded_destinations = cast(list[str], d.pop("excludedDestinations", UNSET))

        expiration_date = d.pop("expirationDate", UNSET)

        external_seller_id = d.pop("externalSellerId", UNSET)

        external_seller_name = d.pop("externalSellerName", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: ProductFilters | Unset
        if isinstance(_filters, Unset):
            filters = UNSET
        else:
            filters = ProductFilters.from_dict(_filters)

        gender = d.pop("gender", UNSET)

        def _parse_google_product_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        google_product_category = _parse_google_product_category(d.pop("googleProductCategory", UNSET))

        gtin = d.pop("gtin", UNSET)

        identifier_exists = d.pop("identifierExists", UNSET)

        included_destinations = cast(list[str], d.pop("includedDestinations", UNSET))

        _installment = d.pop("installment", UNSET)
        installment: Installment | Unset
        if isinstance(_installment, Unset):
            installment = UNSET
        else:
            installment = Installment.from_dict(_installment)

        is_bundle = d.pop("isBundle", UNSET)

        item_group_id = d.pop("itemGroupId", UNSET)

        kind = d.pop("kind", UNSET)

        _loyalty_points = d.pop("loyaltyPoints", UNSET)
        loyalty_points: LoyaltyPoints | Unset
        if isinstance(_loyalty_points, Unset):
            loyalty_points = UNSET
        else:
            loyalty_points = LoyaltyPoints.from_dict(_loyalty_points)

        material = d.pop("material", UNSET)

        max_energy_efficiency_class = d.pop("maxEnergyEfficiencyClass", UNSET)

        max_handling_time = d.pop("maxHandlingTime", UNSET)

        min_energy_efficiency_class = d.pop("minEnergyEfficiencyClass", UNSET)

        min_handling_time = d.pop("minHandlingTime", UNSET)

        mobile_link = d.pop("mobileLink", UNSET)

        mpn = d.pop("mpn", UNSET)

        def _parse_multipack(data: object) -> int | str | Unset:
            if isinstance(data, Unset):
                return data
            return cast(int | str | Unset, data)

        multipack = _parse_multipack(d.pop("multipack", UNSET))

        number_of_reviews = d.pop("numberOfReviews", UNSET)

        offer_id = d.pop("offerId", UNSET)

        pattern = d.pop("pattern", UNSET)

        _price = d.pop("price", UNSET)
        price: Price | Unset
        if isinstance(_price, Unset):
            price = UNSET
        else:
            price = Price.from_dict(_price)

        product_rating = d.pop("productRating", UNSET)

        product_type_keys = cast(list[str], d.pop("productTypeKeys", UNSET))

        product_types = cast(list[str], d.pop("productTypes", UNSET))

        promotion_ids = cast(list[str], d.pop("promotionIds", UNSET))

        _sale_price = d.pop("salePrice", UNSET)
        sale_price: Price | Unset
        if isinstance(_sale_price, Unset):
            sale_price = UNSET
        else:
            sale_price = Price.from_dict(_sale_price)

        sale_price_effective_date = d.pop("salePriceEffectiveDate", UNSET)

        seller_id = d.pop("sellerId", UNSET)

        sell_on_google_quantity = d.pop("sellOnGoogleQuantity", UNSET)

        _shipping = d.pop("shipping", UNSET)
        shipping: list[ProductShipping] | Unset = UNSET
        if _shipping is not UNSET:
            shipping = []
            for shipping_item_data in _shipping:
                shipping_item = ProductShipping.from_dict(shipping_item_data)

                shipping.append(shipping_item)

        _shipping_height = d.pop("shippingHeight", UNSET)
        shipping_height: ProductShippingDimension | Unset
        if isinstance(_shipping_height, Unset):
            shipping_height = UNSET
        else:
            shipping_height = ProductShippingDimension.from_dict(_shipping_height)

        shipping_label = d.pop("shippingLabel", UNSET)

        _shipping_length = d.pop("shippingLength", UNSET)
        shipping_length: ProductShippingDimension | Unset
        if isinstance(_shipping_length, Unset):
            shipping_length = UNSET
        else:
            shipping_length = ProductShippingDimension.from_dict(_shipping_length)

        _shipping_weight = d.pop("shippingWeight", UNSET)
        shipping_weight: ProductShippingWeight | Unset
        if isinstance(_shipping_weight, Unset):
            shipping_weight = UNSET
        else:
            shipping_weight = ProductShippingWeight.from_dict(_shipping_weight)

        _shipping_width = d.pop("shippingWidth", UNSET)
        shipping_width: ProductShippingDimension | Unset
        if isinstance(_shipping_width, Unset):
            shipping_width = UNSET
        else:
            shipping_width = ProductShippingDimension.from_dict(_shipping_width)

        sizes = cast(list[str], d.pop("sizes", UNSET))

        size_system = d.pop("sizeSystem", UNSET)

        size_type = d.pop("sizeType", UNSET)

        source = d.pop("source", UNSET)

        target_country = d.pop("targetCountry", UNSET)

        tax_category = d.pop("taxCategory", UNSET)

        _taxes = d.pop("taxes", UNSET)
        taxes: list[ProductTax] | Unset = UNSET
        if _taxes is not UNSET:
            taxes = []
            for taxes_item_data in _taxes:
                taxes_item = ProductTax.from_dict(taxes_item_data)

                taxes.append(taxes_item)

        transit_time_label = d.pop("transitTimeLabel", UNSET)

        _unit_pricing_base_measure = d.pop("unitPricingBaseMeasure", UNSET)
        unit_pricing_base_measure: ProductUnitPricingBaseMeasure | Unset
        if isinstance(_unit_pricing_base_measure, Unset):
            unit_pricing_base_measure = UNSET
        else:
            unit_pricing_base_measure = ProductUnitPricingBaseMeasure.from_dict(_unit_pricing_base_measure)

        _unit_pricing_measure = d.pop("unitPricingMeasure", UNSET)
        unit_pricing_measure: ProductUnitPricingMeasure | Unset
        if isinstance(_unit_pricing_measure, Unset):
            unit_pricing_measure = UNSET
        else:
            unit_pricing_measure = ProductUnitPricingMeasure.from_dict(_unit_pricing_measure)

        product = cls(
            id=id,
            image_link=image_link,
            link=link,
            title=title,
            additional_image_links=additional_image_links,
            ads_grouping=ads_grouping,
            ads_labels=ads_labels,
            ads_redirect=ads_redirect,
            adult=adult,
            age_group=age_group,
            availability=availability,
            availability_date=availability_date,
            badge=badge,
            brand=brand,
            channel=channel,
            color=color,
            condition=condition,
            content_language=content_language,
            cost_of_goods_sold=cost_of_goods_sold,
            custom_attributes=custom_attributes,
            custom_label_0=custom_label_0,
            custom_label_1=custom_label_1,
            custom_label_2=custom_label_2,
            custom_label_3=custom_label_3,
            custom_label_4=custom_label_4,
            description=description,
            display_ads_id=display_ads_id,
            display_ads_link=display_ads_link,
            display_ads_similar_ids=display_ads_similar_ids,
            display_ads_title=display_ads_title,
            display_ads_value=display_ads_value,
            energy_efficiency_class=energy_efficiency_class,
            excluded_destinations=excluded_destinations,
            expiration_date=expiration_date,
            external_seller_id=external_seller_id,
            external_seller_name=external_seller_name,
            filters=filters,
            gender=gender,
            google_product_category=google_product_category,
            gtin=gtin,
            identifier_exists=identifier_exists,
            included_destinations=included_destinations,
            installment=installment,
            is_bundle=is_bundle,
            item_group_id=item_group_id,
            kind=kind,
            loyalty_points=loyalty_points,
            material=material,
            max_energy_efficiency_class=max_energy_efficiency_class,
            max_handling_time=max_handling_time,
            min_energy_efficiency_class=min_energy_efficiency_class,
            min_handling_time=min_handling_time,
            mobile_link=mobile_link,
            mpn=mpn,
            multipack=multipack,
            number_of_reviews=number_of_reviews,
            offer_id=offer_id,
            pattern=pattern,
            price=price,
            product_rating=product_rating,
            product_type_keys=product_type_keys,
            product_types=product_types,
            promotion_ids=promotion_ids,
            sale_price=sale_price,
            sale_price_effective_date=sale_price_effective_date,
            seller_id=seller_id,
            sell_on_google_quantity=sell_on_google_quantity,
            shipping=shipping,
            shipping_height=shipping_height,
            shipping_label=shipping_label,
            shipping_length=shipping_length,
            shipping_weight=shipping_weight,
            shipping_width=shipping_width,
            sizes=sizes,
            size_system=size_system,
            size_type=size_type,
            source=source,
            target_country=target_country,
            tax_category=tax_category,
            taxes=taxes,
            transit_time_label=transit_time_label,
            unit_pricing_base_measure=unit_pricing_base_measure,
            unit_pricing_measure=unit_pricing_measure,
        )

        product.additional_properties = d
        return product

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
