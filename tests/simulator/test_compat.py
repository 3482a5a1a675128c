"""Each fix in simulator/compat.py, checked with real bytes between a gurux client and the server.

Every fix has a test that the upstream gurux-dlms 1.0.203 behaviour is still broken: when one
of those fails after a gurux upgrade, the matching workaround can probably go.
"""
from __future__ import annotations

import contextlib
import io
from datetime import timedelta
from typing import Any

import pytest
from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSServer, GXServerReply
from gurux_dlms._GXAPDU import _GXAPDU
from gurux_dlms.enums import Authentication, DataType, ErrorCode, ObjectType, Security, Unit
from gurux_dlms.GXCiphering import GXCiphering
from gurux_dlms.GXDLMSConfirmedServiceError import GXDLMSConfirmedServiceError
from gurux_dlms.objects import (
    GXDLMSAssociationLogicalName,
    GXDLMSClock,
    GXDLMSData,
    GXDLMSDisconnectControl,
    GXDLMSProfileGeneric,
    GXDLMSRegister,
)
from gurux_dlms.secure import GXDLMSSecureServer
from gurux_dlms.ValueEventArgs import ValueEventArgs

from simulator import cipher as aes
from simulator.compat import CompatAssociationLogicalName, CompatProfileGeneric, CompatServer, ServerReply
from tests.simulator.link import START, DlmsError, Link, hls_client, public_client

BLOCK_KEY, AUTH_KEY, SERVER_TITLE = bytes(range(16)), bytes(range(0xD0, 0xE0)), b"SRV00001"


class RecordingServer(CompatServer):
    """A CompatServer with a few objects that records what its callbacks receive."""

    def __init__(self, keys: GXCiphering | None = None, association: Any = None,
                 profile_class: type = CompatProfileGeneric) -> None:
        super().__init__(keys)
        self.calls: list[tuple[str, list[ValueEventArgs]]] = []
        self.serial = GXDLMSData("0.0.96.1.0.255")
        self.serial.value = bytearray(b"04312000001")
        self.clock = GXDLMSClock("0.0.1.0.0.255")
        self.clock.time = GXDateTime(START)
        self.energy = GXDLMSRegister("1.0.1.8.0.255")
        self.energy.value, self.energy.scaler, self.energy.unit = 12345, 1, Unit.ACTIVE_ENERGY
        self.energy.setDataType(2, DataType.UINT32)
        self.relay = GXDLMSDisconnectControl("0.0.96.3.10.255")
        self.profile = profile_class("1.0.99.1.0.255")
        self.profile.addCaptureObject(self.clock, 2, 0)
        self.profile.addCaptureObject(self.energy, 2, 0)
        self.profile.buffer = [[START + timedelta(minutes=15 * i), 1000 + i] for i in range(200)]
        for obj in (self.serial, self.clock, self.energy, self.relay, self.profile):
            self.items.append(obj)
        if association is not None:
            self.items.append(association)
        self.initialize()

    def onPreRead(self, args: list[ValueEventArgs]) -> None:
        self.calls.append(("pre_read", args))

    def onPreWrite(self, args: list[ValueEventArgs]) -> None:
        self.calls.append(("pre_write", args))

    def onPreAction(self, args: list[ValueEventArgs]) -> None:
        self.calls.append(("pre_action", args))
        for e in args:
            if e.target is self.relay:
                self.relay.outputState = e.index == 2
                e.handled = True


def _server_keys() -> GXCiphering:
    keys = GXCiphering(bytearray(SERVER_TITLE))
    keys.blockCipherKey, keys.authenticationKey = bytearray(BLOCK_KEY), bytearray(AUTH_KEY)
    return keys


def _open(server: CompatServer, client: Any = None) -> Link:
    link = Link(server.exchange, client or public_client())
    link.associate()
    return link


class UpstreamCommands(RecordingServer):
    handleCommand = GXDLMSServer.handleCommand


# FIX 1: GXServerReply accessors
def test_upstream_handle_request_crashes_on_a_plain_server_reply() -> None:
    server = RecordingServer()
    with pytest.raises(AttributeError, match="setReply"):
        server.handleRequest(GXServerReply(bytearray(public_client().aarqRequest()[0])))


def test_server_reply_carries_the_answer_of_handle_request() -> None:
    server = RecordingServer()
    reply = ServerReply(bytearray(public_client().aarqRequest()[0]))
    server.handleRequest(reply)
    answer = bytes(reply.reply)
    assert answer[:6] == bytes.fromhex("000100010010")  # version 1, from wPort 1 to wPort 16
    assert int.from_bytes(answer[6:8], "big") == len(answer) - 8 and answer[8] == 0x61  # an AARE


# FIX 2: HLS-GMAC reply_to_HLS_authentication
def test_upstream_association_cannot_check_the_hls_gmac_reply() -> None:
    server = RecordingServer(_server_keys(), association=GXDLMSAssociationLogicalName())
    link = Link(server.exchange, hls_client(BLOCK_KEY, AUTH_KEY))
    with pytest.raises(DlmsError) as error:
        link.associate()
    assert error.value.error == ErrorCode.HARDWARE_FAULT  # the TypeError from int(octet string)


def test_hls_gmac_association_completes() -> None:
    server = RecordingServer(_server_keys())
    link = _open(server, hls_client(BLOCK_KEY, AUTH_KEY))
    assert link.read(GXDLMSData("0.0.96.1.0.255"), 2) == bytearray(b"04312000001")
    link.release()


def test_a_wrong_hls_reply_leaves_the_association_closed() -> None:
    server = RecordingServer(_server_keys())
    client = hls_client(BLOCK_KEY, AUTH_KEY)
    link = Link(server.exchange, client)
    client.parseAareResponse(link.run(client.aarqRequest()).data)
    client.settings.ctoSChallenge = bytearray(b"not-the-challenge")  # so f(StoC) is computed wrongly... the
    server.settings.stoCChallenge = bytearray(b"a different one!")  # ...and on a challenge the client never saw
    with pytest.raises(DlmsError) as error:
        link.run(client.getApplicationAssociationRequest())
    assert error.value.error == ErrorCode.READ_WRITE_DENIED
    with pytest.raises(GXDLMSConfirmedServiceError):
        link.read(GXDLMSData("0.0.96.1.0.255"), 2)


# FIX 3: association object list
def test_upstream_object_list_answers_hardware_fault() -> None:
    link = _open(RecordingServer(association=GXDLMSAssociationLogicalName()))
    with pytest.raises(DlmsError) as error:
        link.read(GXDLMSAssociationLogicalName(), 2)
    assert error.value.error == ErrorCode.HARDWARE_FAULT


def test_object_list_lists_every_object_with_access_rights() -> None:
    link = _open(RecordingServer())
    listed = link.read(GXDLMSAssociationLogicalName(), 2)
    assert [(int(o.objectType), o.logicalName) for o in listed] == [
        (1, "0.0.96.1.0.255"), (8, "0.0.1.0.0.255"), (3, "1.0.1.8.0.255"), (70, "0.0.96.3.10.255"),
        (7, "1.0.99.1.0.255"), (15, "0.0.40.0.0.255")]
    assert all(o.getAccess(2) == 3 for o in listed)  # READ_WRITE, the CompatServer default


# FIX 4: profile generic selective access
def test_upstream_profile_range_read_fails() -> None:
    link = _open(RecordingServer(profile_class=GXDLMSProfileGeneric))
    with pytest.raises(DlmsError) as error:
        link.run(link.client.readRowsByRange(_client_profile(), START, START + timedelta(hours=1)))
    assert error.value.error == ErrorCode.HARDWARE_FAULT


def _client_profile() -> GXDLMSProfileGeneric:
    profile = GXDLMSProfileGeneric("1.0.99.1.0.255")
    profile.addCaptureObject(GXDLMSClock("0.0.1.0.0.255"), 2, 0)
    profile.addCaptureObject(GXDLMSRegister("1.0.1.8.0.255"), 2, 0)
    return profile


def test_profile_range_read_returns_the_rows_in_range() -> None:
    link = _open(RecordingServer())
    rows = link.run(link.client.readRowsByRange(_client_profile(), START + timedelta(hours=1),
                                                START + timedelta(hours=2))).value
    assert [row[1] for row in rows] == [1004, 1005, 1006, 1007, 1008]
    assert bytes(rows[0][0])[:8] == bytes([0x07, 0xE8, 5, 6, 0xFF, 13, 0, 0])  # 2024-05-06 13:00:00


def test_profile_entry_read_and_column_selection() -> None:
    link = _open(RecordingServer())
    assert [row[1] for row in link.run(link.client.readRowsByEntry(_client_profile(), 3, 2)).value] == [1002, 1003]
    profile = _client_profile()
    wanted = [profile.captureObjects[1]]
    rows = link.run(link.client.readRowsByRange(profile, START, START + timedelta(minutes=15), wanted)).value
    assert rows == [[1000], [1001]]


# FIX 5: secure server cipher attribute
def test_upstream_secure_server_leaves_settings_cipher_unset() -> None:
    class Upstream(GXDLMSSecureServer):
        pass

    server = Upstream(True, 7)
    assert server.settings.cipher is None
    assert isinstance(server.settings.ciphering, GXCiphering)


def test_compat_server_ciphers_with_the_given_keys() -> None:
    keys = _server_keys()
    assert RecordingServer(keys).settings.cipher is keys


# FIX 6: initialize without an association
def test_upstream_initialize_crashes_without_an_association() -> None:
    server = CompatServer()
    server.items.append(GXDLMSData("0.0.96.1.0.255"))
    with pytest.raises(TypeError):
        GXDLMSServer.initialize(server)


def test_initialize_adds_an_association_listing_all_objects() -> None:
    server = CompatServer()
    server.items.append(GXDLMSData("0.0.96.1.0.255"))
    server.initialize()
    association = server.items.findByLN(ObjectType.ASSOCIATION_LOGICAL_NAME, "0.0.40.0.0.255")
    assert isinstance(association, CompatAssociationLogicalName)
    assert [o.logicalName for o in association.objectList] == ["0.0.96.1.0.255", "0.0.40.0.0.255"]


# FIX 7: reset keeps the invocation counter
def test_upstream_reset_zeroes_the_invocation_counter() -> None:
    server = RecordingServer(_server_keys())
    server.settings.cipher.invocationCounter = 41
    GXDLMSServer.reset(server)
    assert server.settings.cipher.invocationCounter == 0


def test_invocation_counter_keeps_rising_across_associations() -> None:
    server = RecordingServer(_server_keys())
    _open(server, hls_client(BLOCK_KEY, AUTH_KEY)).release()
    after_first = server.settings.cipher.invocationCounter
    _open(server, hls_client(BLOCK_KEY, AUTH_KEY, invocation_counter=50)).release()
    assert after_first > 1 and server.settings.cipher.invocationCounter > after_first


# FIX 8: AARE with a system title
def test_upstream_aare_with_a_system_title_crashes() -> None:
    server = RecordingServer(_server_keys())
    server.settings.authentication = Authentication.HIGH_GMAC
    server.settings.stoCChallenge = bytearray(16)
    with pytest.raises(TypeError):
        _GXAPDU.generateAARE(server.settings, GXByteBuffer(), 0, 14, server.settings.cipher, None, None)


def test_aare_carries_the_system_title_and_challenge_the_client_expects() -> None:
    server = RecordingServer(_server_keys())
    client = hls_client(BLOCK_KEY, AUTH_KEY)
    link = Link(server.exchange, client)
    client.parseAareResponse(link.run(client.aarqRequest()).data)
    assert bytes(client.settings.sourceSystemTitle) == SERVER_TITLE
    assert client.isAuthenticationRequired
    assert len(client.settings.stoCChallenge) == len(server.settings.stoCChallenge) >= 8


# FIX 9: the ciphered AARQ is authenticated
def _aarq_with_wrong_key() -> bytes:
    return bytes(hls_client(BLOCK_KEY, bytes(16)).aarqRequest()[0])


def test_upstream_accepts_an_aarq_ciphered_with_a_wrong_key() -> None:
    server = RecordingServer(_server_keys())
    aarq = GXByteBuffer(_aarq_with_wrong_key()[8:])
    with contextlib.redirect_stdout(io.StringIO()):
        diagnostic = _GXAPDU.parsePDU(server.settings, server.settings.cipher, aarq, None)
    assert diagnostic == 0  # no complaint about the tag


def test_an_aarq_ciphered_with_a_wrong_key_is_rejected() -> None:
    answer = RecordingServer(_server_keys()).exchange(_aarq_with_wrong_key())
    assert answer is not None
    assert answer[8 + 15:8 + 17] == bytes([0x02, 0x01]) and answer[8 + 17] == 1  # result: rejected-permanent
    assert answer[8 + 24] == 13  # diagnostic: authentication-failure


# FIX 10: glo-ciphered requests
def test_upstream_cannot_decipher_a_glo_request() -> None:
    server = RecordingServer(_server_keys())
    client = hls_client(BLOCK_KEY, AUTH_KEY)
    link = Link(server.exchange, client)
    client.parseAareResponse(link.run(client.aarqRequest()).data)
    hls_request = bytes(client.getApplicationAssociationRequest()[0])
    assert hls_request[8] == 0xCB  # glo-action-request
    reply = server._handle(hls_request)  # gurux's own path, without the fix
    assert reply is not None and reply[0] == 0x7E  # an HDLC "unacceptable frame", not a WRAPPER answer


def test_ciphered_reads_work_and_replayed_or_forged_requests_are_refused() -> None:
    server = RecordingServer(_server_keys())
    link = _open(server, hls_client(BLOCK_KEY, AUTH_KEY))
    assert link.read(GXDLMSRegister("1.0.1.8.0.255"), 2) == 12345
    request, answer = link.frames[-1]
    assert request[8] == aes.GENERAL_GLO_CIPHERING and answer is not None and answer[8] == aes.GENERAL_GLO_CIPHERING
    assert server.exchange(request) == bytes.fromhex("0001 0001 0001 0007 d8 01 06".replace(" ", "")) + (
        server.client_invocation_counter + 1).to_bytes(4, "big")  # replayed: invocation-counter-error
    forged = bytearray(request)
    forged[-1] ^= 1
    forged[-20] = (server.client_invocation_counter + 5) >> 24  # fresh counter, broken tag
    assert server.exchange(bytes(forged))[8:] == bytes([0xD8, 1, 5])  # deciphering-error


def test_plaintext_requests_are_refused_in_a_ciphered_association() -> None:
    server = RecordingServer(_server_keys())
    _open(server, hls_client(BLOCK_KEY, AUTH_KEY))
    plain = public_client()
    plain.settings.clientAddress = 1
    assert server.exchange(bytes(plain.read(GXDLMSData("0.0.96.1.0.255"), 2)[0]))[8:] == bytes([0xD8, 1, 1])
    assert server.settings.cipher.security == Security.AUTHENTICATION_ENCRYPTION


# FIX 11: GET, SET and ACTION
@pytest.mark.parametrize("service", ["get", "set", "action"])
def test_upstream_get_set_and_action_answer_hardware_fault(service: str) -> None:
    server = UpstreamCommands()
    link = _open(server)
    with pytest.raises(DlmsError) as error:
        _service(link, service)
    assert error.value.error == ErrorCode.HARDWARE_FAULT


def _service(link: Link, service: str) -> Any:
    if service == "get":
        return link.read(GXDLMSData("0.0.96.1.0.255"), 2)
    if service == "set":
        clock = GXDLMSClock("0.0.1.0.0.255")
        clock.time = GXDateTime(START + timedelta(hours=3))
        return link.run(link.client.write(clock, 2))
    return link.run(GXDLMSDisconnectControl("0.0.96.3.10.255").remoteDisconnect(link.client))


def test_get_reads_the_value_and_tells_on_pre_read_which_attribute() -> None:
    server = RecordingServer()
    assert _service(_open(server), "get") == bytearray(b"04312000001")
    (name, [event]), = server.calls
    assert (name, event.target, event.index, event.server) == ("pre_read", server.serial, 2, server)


def test_set_writes_the_value_through_on_pre_write() -> None:
    server = RecordingServer()
    _service(_open(server), "set")
    assert server.clock.time.value.hour == 15
    assert [(name, event.index) for name, [event] in server.calls] == [("pre_write", 2)]


def test_action_reaches_on_pre_action() -> None:
    server = RecordingServer()
    server.relay.outputState = True
    _service(_open(server), "action")
    assert server.relay.outputState is False
    assert [(name, event.index) for name, [event] in server.calls] == [("pre_action", 1)]


def test_long_get_uses_block_transfer() -> None:
    server = RecordingServer()
    client = public_client()
    client.maxReceivePDUSize = 128
    link = _open(server, client)
    rows = link.read(_client_profile(), 2)
    assert len(rows) == 200 and len(link.frames) > 20


def test_a_failing_callback_answers_hardware_fault_and_keeps_the_association() -> None:
    class Failing(RecordingServer):
        def onPreRead(self, args: list[ValueEventArgs]) -> None:
            raise RuntimeError("boom")

    link = _open(Failing())
    with pytest.raises(DlmsError) as error:
        link.read(GXDLMSData("0.0.96.1.0.255"), 2)
    assert error.value.error == ErrorCode.HARDWARE_FAULT
    assert link.run(link.client.method(GXDLMSDisconnectControl("0.0.96.3.10.255"), 2, 0, DataType.INT8))


def test_requests_before_an_association_are_refused() -> None:
    server = RecordingServer()
    reply = server.exchange(bytes(public_client().read(GXDLMSData("0.0.96.1.0.255"), 2)[0]))
    assert reply is not None and reply[8:] == bytes([0x0E, 1, 3, 2])  # confirmed-service-error, service unsupported
    assert server.calls == []


def test_unknown_objects_answer_object_undefined() -> None:
    link = _open(RecordingServer())
    with pytest.raises(DlmsError) as error:
        link.read(GXDLMSData("0.0.96.1.9.255"), 2)
    assert error.value.error == ErrorCode.UNDEFINED_OBJECT
