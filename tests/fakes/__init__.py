"""Test doubles shared by the test suites, each kept only where the simulator cannot serve its tests (each
module's docstring says why): ``mock_criteo`` (scripted HTTP answers through httpx.MockTransport),
``scripted_criteo`` (a scripted server on loopback), ``push_api`` and ``apply_at_once`` (fakes at the
push's PushApi seam). Everything else runs against the simulator."""
