"""The seat self-test's TURN check against a real coturn: the right credentials get an allocation, a wrong
password is reported as refused, naming the URL."""
from seat_app.selftest import checks
from tests.support.coturn import Coturn


async def test_the_turn_check_against_a_real_coturn(tmp_path):
    with Coturn.start(tmp_path / "turn") as turn:
        status, reason = await checks._ice(turn.ice_servers)
        assert status == checks.PASS, reason
        assert reason.startswith(f"{turn.url}: TURN allocation made (127.0.0.1:")
        port = int(reason.rsplit(":", 1)[1].rstrip(")"))
        assert turn.relay_ports[0] <= port <= turn.relay_ports[1]
        assert turn.wait_for_allocations(1) == 1

        wrong = [{**turn.ice_servers[0], "credential": "not the password"}]
        status, reason = await checks._ice(wrong)
        assert status == checks.FAIL
        assert reason.startswith(turn.url) and "TURN allocation refused or unanswered" in reason, reason
        assert turn.allocations() == 1
