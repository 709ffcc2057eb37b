"""The self-test's ICE check: a STUN server that answers passes, one that does not fails with its URL."""
import asyncio
import socket

from aioice import stun

from seat_app.selftest import checks

MAPPED = ("203.0.113.7", 40000)  # what the STUN server says the seat looks like from outside


class StunResponder(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
        self.requests = 0

    def datagram_received(self, data, addr):
        request = stun.parse_message(data)
        if request.message_method != stun.Method.BINDING:
            return
        self.requests += 1
        response = stun.Message(stun.Method.BINDING, stun.Class.RESPONSE, transaction_id=request.transaction_id)
        response.attributes["XOR-MAPPED-ADDRESS"] = MAPPED
        self.transport.sendto(bytes(response), addr)


async def test_a_stun_server_that_answers_passes():
    loop = asyncio.get_running_loop()
    transport, responder = await loop.create_datagram_endpoint(StunResponder, local_addr=("127.0.0.1", 0))
    port = transport.get_extra_info("sockname")[1]
    try:
        status, reason = await checks._ice([{"urls": f"stun:127.0.0.1:{port}"}])
    finally:
        transport.close()
    assert (status, reason) == (checks.PASS, f"stun:127.0.0.1:{port}: STUN binding answered ({MAPPED[0]}:{MAPPED[1]})")
    assert responder.requests >= 1


async def test_a_silent_stun_server_fails_naming_it():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as quiet:  # bound, never answers
        quiet.bind(("127.0.0.1", 0))
        port = quiet.getsockname()[1]
        status, reason = await checks._ice([{"urls": [f"stun:127.0.0.1:{port}"]}])
    assert status == checks.FAIL
    assert reason.startswith(f"stun:127.0.0.1:{port}: no")


def test_no_ice_servers_is_a_warning():
    status, reason = checks.check_ice(checks.SelfTestConfig(server_url="https://x.example"))
    assert status == checks.WARN and "ice_servers" in reason
