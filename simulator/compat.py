"""Compatibility layer that makes gurux-dlms 1.0.203's GXDLMSServer usable as a meter.

The server side of gurux-dlms 1.0.203 is an unfinished port of the Java library: it calls
accessors that do not exist, iterates single objects, builds malformed AAREs and cannot
decipher a request. Every fix lives here, marked ``FIX n`` with what it fixes and why;
tests/simulator/test_compat.py checks each one with real client/server bytes, and also that
the upstream bug is still there, so a gurux upgrade that fixes one tells us to drop the fix.

Nothing is monkeypatched: only server-side subclasses change, so a gurux client in the same
process (the HES in tests) runs unmodified gurux code.
"""
from __future__ import annotations

import contextlib
import io
import logging
from datetime import datetime
from typing import Any

from gurux_dlms import GXByteBuffer, GXDateTime, GXDLMSServer, GXServerReply
from gurux_dlms._GXAPDU import _GXAPDU
from gurux_dlms.ConnectionState import ConnectionState
from gurux_dlms.enums import (
    AssociationResult,
    Authentication,
    Command,
    Conformance,
    DataType,
    ErrorCode,
    InterfaceType,
    ObjectType,
    Security,
)
from gurux_dlms.enums.AccessMode import AccessMode
from gurux_dlms.enums.Initiate import Initiate
from gurux_dlms.enums.MethodAccessMode import MethodAccessMode
from gurux_dlms.enums.SourceDiagnostic import SourceDiagnostic
from gurux_dlms.GXCiphering import GXCiphering
from gurux_dlms.GXDLMS import GXDLMS
from gurux_dlms.GXDLMSException import GXDLMSException
from gurux_dlms.GXDLMSLNParameters import GXDLMSLNParameters
from gurux_dlms.GXDLMSLongTransaction import GXDLMSLongTransaction
from gurux_dlms.GXSecure import GXSecure
from gurux_dlms.internal._GXCommon import _GXCommon
from gurux_dlms.internal._GXDataInfo import _GXDataInfo
from gurux_dlms.objects import GXDLMSAssociationLogicalName, GXDLMSObject, GXDLMSProfileGeneric
from gurux_dlms.objects.enums.AssociationStatus import AssociationStatus
from gurux_dlms.ValueEventArgs import ValueEventArgs

from simulator import cipher as aes

ASSOCIATION_LN = "0.0.40.0.0.255"
WRAPPER_HEADER = 8
_RESPONSE = {Command.GET_REQUEST: Command.GET_RESPONSE, Command.SET_REQUEST: Command.SET_RESPONSE,
             Command.METHOD_REQUEST: Command.METHOD_RESPONSE}
_GLO_INITIATE_REQUEST = 0x21
_GLO_OFFSET = 8  # glo-get-request 0xC8 = get-request 0xC0 + 8, and so on for SET, ACTION and responses
_CIPHERABLE = {Command.GET_REQUEST, Command.SET_REQUEST, Command.METHOD_REQUEST}
# exception-response: service-not-allowed + operation-not-possible / deciphering-error / invocation-counter-error
_NOT_ALLOWED, _DECIPHERING_ERROR, _COUNTER_ERROR = bytes([0xD8, 1, 1]), bytes([0xD8, 1, 5]), bytes([0xD8, 1, 6])
_REFUSED = bytes([Command.CONFIRMED_SERVICE_ERROR, 1, 3, 2])  # initiate-error / service / unsupported
_log = logging.getLogger(__name__)


class ServerReply(GXServerReply):
    """FIX 1: GXDLMSServer.handleRequest calls sr.setReply(), sr.getConnectionInfo(), sr.getCount()
    and sr.setCount(), Java accessors that GXServerReply lacks, so every request crashes."""

    def setReply(self, value: Any) -> None:
        self.reply = value

    def getConnectionInfo(self) -> Any:
        return self.connectionInfo

    def getCount(self) -> int:
        return int(self.count)

    def setCount(self, value: int) -> None:
        self.count = value


class CompatAssociationLogicalName(GXDLMSAssociationLogicalName):
    """FIX 2: reply_to_HLS_authentication (method 1) calls ``int()`` on the client's f(StoC) octet
    string, so no HLS association completes; HLS-GMAC is checked here (with `cryptography`).

    FIX 3: the object list (attribute 2) reads the missing ``e.isSkipMaxPduSize`` and, as events
    never carry the server, would list no access rights; it is encoded here in one piece."""

    def invoke(self, settings: Any, e: ValueEventArgs) -> Any:
        if e.index != 1 or settings.authentication != Authentication.HIGH_GMAC:
            return super().invoke(settings, e)
        keys = settings.cipher
        reply = bytes(e.parameters or b"")
        client_ic = int.from_bytes(reply[1:5], "big") if len(reply) > 5 else 0
        expected = aes.gmac(keys.blockCipherKey, keys.authenticationKey, settings.sourceSystemTitle or bytes(8),
                            client_ic, settings.stoCChallenge or b"")
        if reply != expected:
            self.associationStatus = AssociationStatus.NON_ASSOCIATED
            e.error = ErrorCode.READ_WRITE_DENIED
            return None
        self.associationStatus = AssociationStatus.ASSOCIATED
        answer = aes.gmac(keys.blockCipherKey, keys.authenticationKey, keys.systemTitle, keys.invocationCounter,
                          settings.ctoSChallenge or b"")
        keys.invocationCounter += 1
        return bytearray(answer)

    def getObjects(self, settings: Any, e: ValueEventArgs) -> GXByteBuffer:
        data = GXByteBuffer()
        data.setUInt8(DataType.ARRAY)
        _GXCommon.setObjectCount(len(self.objectList), data)
        for obj in self.objectList:
            data.set(bytes([DataType.STRUCTURE, 4]))
            _GXCommon.setData(settings, data, DataType.UINT16, obj.objectType)
            _GXCommon.setData(settings, data, DataType.UINT8, obj.version)
            _GXCommon.setData(settings, data, DataType.OCTET_STRING, _GXCommon.logicalNameToBytes(obj.logicalName))
            probe = ValueEventArgs(e.server, obj, 0)
            data.set(bytes([DataType.STRUCTURE, 2, DataType.ARRAY, obj.getAttributeCount()]))
            for probe.index in range(1, obj.getAttributeCount() + 1):
                data.set(bytes([DataType.STRUCTURE, 3, DataType.INT8, probe.index,
                                DataType.ENUM, e.server.onGetAttributeAccess(probe), DataType.NONE]))
            data.set(bytes([DataType.ARRAY, obj.getMethodCount()]))
            for probe.index in range(1, obj.getMethodCount() + 1):
                data.set(bytes([DataType.STRUCTURE, 2, DataType.INT8, probe.index,
                                DataType.ENUM, e.server.onGetMethodAccess(probe)]))
        return data


class CompatProfileGeneric(GXDLMSProfileGeneric):
    """FIX 4: selective access on the buffer (attribute 2) is broken: it calls the missing
    ``e.getRowEndIndex()``, reads ``.value`` off an already parsed date, compares datetimes with 0
    and drops every column. Range (selector 1) and entry (selector 2) reads are done here.

    Rows are lists with the capture time (a datetime) first, as in gurux's own buffers."""

    def getValue(self, settings: Any, e: ValueEventArgs) -> Any:
        if e.index != 2:
            return super().getValue(settings, e)
        rows, columns = list(self.buffer), list(range(len(self.captureObjects)))
        if e.selector == 1 and e.parameters:
            start, end = _as_datetime(settings, e.parameters[1]), _as_datetime(settings, e.parameters[2])
            rows = [row for row in rows if start <= row[0] <= end]
            wanted = e.parameters[3] if len(e.parameters) > 3 else None
            keys = [(int(obj.objectType), obj.logicalName, co.attributeIndex) for obj, co in self.captureObjects]
            picked = [(int(w[0]), _GXCommon.toLogicalName(w[1]), w[2]) for w in wanted or []]
            columns = [keys.index(key) for key in picked if key in keys] or columns
        elif e.selector == 2 and e.parameters:
            rows = rows[max(int(e.parameters[0]), 1) - 1:int(e.parameters[1]) or len(rows)]
        e.byteArray = True
        bb = GXByteBuffer()
        bb.setUInt8(DataType.ARRAY)
        _GXCommon.setObjectCount(len(rows), bb)
        for row in rows:
            bb.setUInt8(DataType.STRUCTURE)
            _GXCommon.setObjectCount(len(columns), bb)
            for col in columns:
                value = GXDateTime(row[col]) if isinstance(row[col], datetime) else row[col]
                obj, co = self.captureObjects[col]
                data_type = obj.getDataType(co.attributeIndex) or _GXCommon.getDLMSDataType(value)
                _GXCommon.setData(settings, bb, data_type, value)
        return bb.array()


def _as_datetime(settings: Any, value: Any) -> datetime:
    if isinstance(value, GXDateTime):
        return value.value
    info = _GXDataInfo()
    info.type_ = DataType.DATETIME
    return _GXCommon.getData(settings, GXByteBuffer(bytearray(value)), info).value


class CompatServer(GXDLMSServer):
    """A GXDLMSServer (logical names, WRAPPER) that associates, ciphers and answers GET/SET/ACTION.

    Feed it one WRAPPER frame at a time with exchange(). Subclasses override the on* callbacks
    they need; the defaults grant everything."""

    def __init__(self, keys: GXCiphering | None = None) -> None:
        super().__init__(True, InterfaceType.WRAPPER)
        # FIX 5: GXDLMSSecureServer stores its GXCiphering in settings.ciphering, but every code
        # path (AARQ parsing, ciphering, HLS) reads settings.cipher, so a "secure" server never
        # ciphers and HLS-GMAC crashes. We set settings.cipher directly instead.
        self.settings.cipher = keys
        self.client_invocation_counter = 0  # last invocation counter seen from the ciphering client

    # FIX 6: initialize() appends the whole object collection as ONE item to the association's
    # object list (a TypeError) when it creates the association or finds its list empty.
    def initialize(self) -> None:
        association = self.items.findByLN(ObjectType.ASSOCIATION_LOGICAL_NAME, ASSOCIATION_LN)
        if association is None:
            association = CompatAssociationLogicalName(ASSOCIATION_LN)
            self.items.append(association)
        if len(association.objectList) == 0:
            for obj in self.items:
                association.objectList.append(obj)
        super().initialize()

    # FIX 7: reset() (run on every AARQ and release) calls cipher.reset(), which zeroes the
    # server's invocation counter, so each association would reuse AES-GCM nonces.
    def reset(self, connect: bool = False) -> None:
        counter = self.settings.cipher.invocationCounter if self.settings.cipher else 0
        super().reset(connect)
        if self.settings.cipher:
            self.settings.cipher.invocationCounter = counter

    # FIX 8: _GXAPDU.generateAARE crashes (setUInt8() without a value) as soon as a system title
    # must be sent (HLS-GMAC or ciphering), and writes wrong lengths for the responding-AP-title
    # and the StoC challenge. The AARQ is answered here with a correct AARE.
    # FIX 9: gurux deciphers with its GCM stream in encrypt mode, so it never checks the
    # authentication tag: an AARQ ciphered with a wrong key would be accepted. The ciphered
    # xDLMS-Initiate.request is authenticated here with `cryptography` first.
    def handleAarqRequest(self, data: GXByteBuffer, connection_info: Any) -> None:
        settings = self.settings
        settings.setCtoSChallenge(None)
        self.reset(True)
        result, diagnostic, error = AssociationResult.ACCEPTED, SourceDiagnostic.NONE, None
        aarq = bytes(data.array()[data.position:])
        try:
            diagnostic = _GXAPDU.parsePDU(settings, settings.cipher, data, None)
            if not self._initiate_authentic(aarq):
                result, diagnostic = AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.AUTHENTICATION_FAILURE
            elif settings.negotiatedConformance == Conformance.NONE:
                error = Initiate.INCOMPATIBLE_CONFORMANCE
            elif settings.maxPduSize < 64:
                error = Initiate.PDU_SIZE_TOO_SHORT
            elif settings.dlmsVersion != 6:
                error = Initiate.DLMS_VERSION_TOO_LOW
            elif diagnostic != SourceDiagnostic.NONE:
                result, diagnostic = AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.NOT_SUPPORTED
            else:
                diagnostic = self.onValidateAuthentication(settings.authentication, settings.password)
                if diagnostic != SourceDiagnostic.NONE:
                    result = AssociationResult.PERMANENT_REJECTED
                elif settings.authentication > Authentication.LOW:
                    diagnostic = SourceDiagnostic.AUTHENTICATION_REQUIRED
                    settings.setStoCChallenge(GXSecure.generateChallenge())
                else:
                    settings.connected |= ConnectionState.DLMS
        except GXDLMSException as ex:
            result, diagnostic = ex.result, ex.diagnostic
        if error is not None:
            result, diagnostic = AssociationResult.PERMANENT_REJECTED, SourceDiagnostic.NO_REASON_GIVEN
        if result != AssociationResult.ACCEPTED:
            self.onInvalidConnection(connection_info)
        self.replyData.set(self._aare(result, diagnostic, error))

    def _initiate_authentic(self, aarq: bytes) -> bool:
        keys, initiate = self.settings.cipher, _user_information(aarq)
        if not keys or not initiate or initiate[0] != _GLO_INITIATE_REQUEST:
            return True
        try:
            aes.decipher_apdu(keys.blockCipherKey, keys.authenticationKey, self.settings.sourceSystemTitle or bytes(8),
                              initiate)
        except aes.CipherError:
            return False
        return True

    def _aare(self, result: int, diagnostic: int, initiate_error: int | None) -> bytes:
        settings, keys = self.settings, self.settings.cipher
        ciphered = bool(keys and keys.isCiphered())
        body = bytes([0xA1, 0x09, 0x06, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x01, 3 if ciphered else 1,
                      0xA2, 0x03, 0x02, 0x01, result, 0xA3, 0x05, 0xA1, 0x03, 0x02, 0x01, diagnostic])
        if keys and (ciphered or settings.authentication == Authentication.HIGH_GMAC):
            title = bytes(keys.systemTitle)
            body += bytes([0xA4, len(title) + 2, 0x04, len(title)]) + title  # responding-AP-title
        if settings.authentication > Authentication.LOW and settings.stoCChallenge:
            challenge = bytes(settings.stoCChallenge)
            body += bytes([0x88, 0x02, 0x07, 0x80, 0x89, 0x07, 0x60, 0x85, 0x74, 0x05, 0x08, 0x02,
                           settings.authentication, 0xAA, len(challenge) + 2, 0x80, len(challenge)]) + challenge
        info = b""
        if initiate_error is not None:
            info = bytes([Command.CONFIRMED_SERVICE_ERROR, 1, 6, initiate_error])  # initiate-error / initiate
        elif result == AssociationResult.ACCEPTED or not ciphered:
            info = bytes(_GXAPDU.getUserInformation(settings, keys))
            if ciphered:
                keys.invocationCounter += 1
        if info:
            body += bytes([0xBE, len(info) + 2, 0x04, len(info)]) + info
        return bytes([0x61]) + (bytes([len(body)]) if len(body) < 0x80 else bytes([0x81, len(body)])) + body

    def exchange(self, frame: bytes) -> bytes | None:
        """Hand one received WRAPPER frame to the server; return the reply frame, if any."""
        keys = self.settings.cipher
        tag = frame[WRAPPER_HEADER] if keys and len(frame) > WRAPPER_HEADER else 0
        if tag - _GLO_OFFSET in _CIPHERABLE or tag == aes.GENERAL_GLO_CIPHERING:
            return self._exchange_ciphered(frame)
        if tag in _CIPHERABLE and keys.isCiphered():  # plaintext request in a ciphered association
            return _reframe(frame, _NOT_ALLOWED, swap=True)
        return self._handle(frame)

    def _handle(self, frame: bytes) -> bytes | None:
        reply = ServerReply(bytearray(frame))
        # gurux prints to stdout (every AES-GCM decrypt, unknown AARQ tags...); keep it quiet.
        with contextlib.redirect_stdout(io.StringIO()):
            self.handleRequest(reply)
        return bytes(reply.reply) if reply.reply else None

    # FIX 10: glo-ciphered requests (glo-get/set/action, e.g. the HLS reply sent before general
    # protection is negotiated) are deciphered with an AesGcmParameter built from three
    # arguments (the system title lands in the tag slot), so they can never be read. Those and
    # general-glo-ciphering requests (which gurux reads, slowly and printing) are deciphered here
    # with `cryptography`; gurux answers in plaintext and the answer is ciphered here the same
    # way. A replayed invocation counter gets an exception-response.
    def _exchange_ciphered(self, frame: bytes) -> bytes | None:
        keys, header = self.settings.cipher, frame[:WRAPPER_HEADER]
        try:
            plain, security, counter = aes.decipher_apdu(keys.blockCipherKey, keys.authenticationKey,
                                                         self.settings.sourceSystemTitle or bytes(8),
                                                         frame[WRAPPER_HEADER:])
        except aes.CipherError:
            return _reframe(header, _DECIPHERING_ERROR, swap=True)
        if counter <= self.client_invocation_counter:
            expected = (self.client_invocation_counter + 1).to_bytes(4, "big")
            return _reframe(header, _COUNTER_ERROR + expected, swap=True)
        self.client_invocation_counter = counter
        negotiated, keys.security = keys.security, Security.NONE
        try:
            reply = self._handle(_reframe(header, plain))
        finally:
            keys.security = negotiated
        if not reply or reply[WRAPPER_HEADER] not in _RESPONSE.values():
            return reply
        plain_reply = reply[WRAPPER_HEADER:]
        if frame[WRAPPER_HEADER] == aes.GENERAL_GLO_CIPHERING:
            apdu = aes.general_glo_cipher(security, keys.blockCipherKey, keys.authenticationKey, keys.systemTitle,
                                          keys.invocationCounter, plain_reply)
        else:
            apdu = aes.cipher_apdu(plain_reply[0] + _GLO_OFFSET, security, keys.blockCipherKey,
                                   keys.authenticationKey, keys.systemTitle, keys.invocationCounter, plain_reply)
        keys.invocationCounter += 1
        return _reframe(reply, apdu)

    # FIX 11: the LN command handler's GET/SET/ACTION paths end in swallowed exceptions and a
    # hardware-fault answer: GET calls the missing server.notifyRead() and onPostRead() without
    # arguments, SET and ACTION pass list(e) for one (non-iterable) ValueEventArgs, long GETs call
    # the missing get/setTransaction and read settings.gbtWndowSize (a typo), and the fallback
    # error reply itself crashes for GET. These services are handled here.
    def handleCommand(self, cmd: int, data: GXByteBuffer, sr: Any) -> Any:
        handler = {Command.GET_REQUEST: self._get, Command.SET_REQUEST: self._set,
                   Command.METHOD_REQUEST: self._action}.get(cmd)
        if handler is None:
            return super().handleCommand(cmd, data, sr)
        if not self.settings.acceptConnection() and not _is_hls_reply(cmd, data):
            self.replyData.set(_REFUSED)
            return GXDLMS.getWrapperFrame(self.settings, cmd, self.replyData)
        invoke_id = data.getUInt8(data.position + 1) if len(data) - data.position >= 2 else 0
        try:
            handler(data)
        except Exception:  # noqa: BLE001 - like a real meter, answer hardware-fault and keep the association
            _log.exception("meter could not serve command %s", cmd)
            self.replyData.clear()
            self.transaction = None
            self._respond(cmd, invoke_id, GXByteBuffer(b"\x00" if cmd == Command.METHOD_REQUEST else b""),
                          ErrorCode.HARDWARE_FAULT)
        return GXDLMS.getWrapperFrame(self.settings, cmd, self.replyData)

    def _respond(self, cmd: int, invoke_id: int, data: GXByteBuffer | None, status: int, kind: int = 1) -> None:
        p = GXDLMSLNParameters(self.settings, invoke_id, _RESPONSE[cmd], kind, None, data, status)
        p.multipleBlocks = kind == 2 and status == ErrorCode.OK
        GXDLMS.getLNPdu(p, self.replyData)

    def _request(self, data: GXByteBuffer) -> tuple[int, int, int, Any]:
        """Read invoke-id, class, instance and attribute/method: (kind, invoke id, index, object)."""
        kind, invoke_id = data.getUInt8(), data.getUInt8()
        self.settings.updateInvokeId(invoke_id)
        if kind != 1:
            return kind, invoke_id, 0, None
        object_type, ln = ObjectType(data.getUInt16()), bytearray(6)
        data.get(ln)
        name = _GXCommon.toLogicalName(ln)
        obj = self.items.findByLN(object_type, name) or self.onFindObject(object_type, 0, name)
        return kind, invoke_id, data.getUInt8(), obj

    def _event(self, obj: GXDLMSObject | None, index: int, invoke_id: int, selector: int = 0,
               parameters: Any = None) -> ValueEventArgs:
        e = ValueEventArgs(self, obj, index, selector, parameters)
        # ValueEventArgs records neither its server (the object list needs it) nor a value
        # (callbacks that handle a request set one; gurux reads e.value unconditionally).
        e.server, e.value, e.invokeId = self, None, invoke_id
        return e

    def _get(self, data: GXByteBuffer) -> None:
        if data.getUInt8(data.position) == 2:  # get-request-next (block transfer)
            data.getUInt8()
            self._get_next_block(data, data.getUInt8())
            return
        kind, invoke_id, index, obj = self._request(data)
        self.settings.setCount(0)
        self.settings.setIndex(0)
        self.settings.resetBlockIndex()
        bb, status = GXByteBuffer(), ErrorCode.HARDWARE_FAULT  # get-with-list is not offered
        if kind == 1:
            selector, parameters = 0, None
            if data.getUInt8():
                selector, parameters = data.getUInt8(), _GXCommon.getData(self.settings, data, _GXDataInfo())
            e = self._event(obj, index, invoke_id, selector, parameters)
            status = self._check(e, AccessMode.READ, AccessMode.READ_WRITE, AccessMode.AUTHENTICATED_READ)
            if status == ErrorCode.OK:
                self.onPreRead([e])
                value = e.value if e.handled else obj.getValue(self.settings, e)
                self.onPostRead([e])
                status = e.error
                if status == ErrorCode.OK and e.byteArray:
                    bb.set(value)
                elif status == ErrorCode.OK:
                    GXDLMS.appendData(self.settings, obj, index, bb, value)
        self._respond(Command.GET_REQUEST, invoke_id, bb, status)
        self.transaction = GXDLMSLongTransaction(None, Command.GET_REQUEST, bb) if bb.position < len(bb) else None

    def _get_next_block(self, data: GXByteBuffer, invoke_id: int) -> None:
        block, pending, status = data.getUInt32(), GXByteBuffer(), ErrorCode.OK
        if self.transaction is None:
            status = ErrorCode.NO_LONG_GET_OR_READ_IN_PROGRESS
        elif block != self.settings.blockIndex:
            status = ErrorCode.DATA_BLOCK_NUMBER_INVALID
        else:
            pending = self.transaction.data
            self.settings.increaseBlockIndex()
        self._respond(Command.GET_REQUEST, invoke_id, pending, status, kind=2)
        if status != ErrorCode.OK or pending.position >= len(pending):
            self.transaction = None
            self.settings.resetBlockIndex()

    def _set(self, data: GXByteBuffer) -> None:
        kind, invoke_id, index, obj = self._request(data)
        status = ErrorCode.HARDWARE_FAULT  # block and list SETs are not offered
        if kind == 1:
            data.getUInt8()  # no access selection in SET normal
            value = _GXCommon.getData(self.settings, data, _GXDataInfo())
            e = self._event(obj, index, invoke_id)
            status = self._check(e, AccessMode.WRITE, AccessMode.READ_WRITE, AccessMode.AUTHENTICATED_WRITE,
                                 AccessMode.AUTHENTICATED_READ_WRITE)
            if status == ErrorCode.OK:
                data_type = obj.getDataType(index)
                if isinstance(value, bytearray) and data_type not in (DataType.NONE, DataType.OCTET_STRING):
                    value = _GXCommon.changeType(self.settings, value, data_type)
                e.value = value
                self.onPreWrite([e])
                if e.error == ErrorCode.OK and not e.handled:
                    obj.setValue(self.settings, e)
                self.onPostWrite([e])
                status = e.error
        self._respond(Command.SET_REQUEST, invoke_id, None, status)

    def _action(self, data: GXByteBuffer) -> None:
        kind, invoke_id, method, obj = self._request(data)
        bb, status = GXByteBuffer(), ErrorCode.HARDWARE_FAULT  # block ACTIONs are not offered
        result = None
        if kind == 1:
            parameters = _GXCommon.getData(self.settings, data, _GXDataInfo()) if data.getUInt8() else None
            e = self._event(obj, method, invoke_id, 0, parameters)
            status = ErrorCode.UNDEFINED_OBJECT if obj is None else ErrorCode.OK
            if obj is not None and self.onGetMethodAccess(e) == MethodAccessMode.NO_ACCESS:
                status = ErrorCode.READ_WRITE_DENIED
            if status == ErrorCode.OK:
                self.onPreAction([e])
                result = e.value if e.handled else obj.invoke(self.settings, e)
                self.onPostAction([e])
                status = e.error
        if status == ErrorCode.OK and result is not None:
            bb.set(bytes([1, 0]))  # return parameters present, as data
            _GXCommon.setData(self.settings, bb, _GXCommon.getDLMSDataType(result), result)
        else:
            bb.setUInt8(0)
        self._respond(Command.METHOD_REQUEST, invoke_id, bb, status)
        if isinstance(obj, GXDLMSAssociationLogicalName) and method == 1:
            associated = obj.associationStatus == AssociationStatus.ASSOCIATED
            if associated:
                self.settings.connected |= ConnectionState.DLMS
                self.onConnected(None)
            else:
                self.settings.connected &= ~ConnectionState.DLMS
                self.onInvalidConnection(None)

    def _check(self, e: ValueEventArgs, *allowed: int) -> int:
        if e.target is None:
            return int(ErrorCode.UNDEFINED_OBJECT)
        return int(ErrorCode.OK if self.onGetAttributeAccess(e) in allowed else ErrorCode.READ_WRITE_DENIED)

    # Defaults for GXDLMSServer's abstract callbacks.
    def isTarget(self, server_address: int, client_address: int) -> bool:
        return True

    def onValidateAuthentication(self, authentication: int, password: Any) -> int:
        return int(SourceDiagnostic.NONE)

    def onFindObject(self, object_type: Any, sn: int, ln: str) -> GXDLMSObject | None:
        return None

    def onGetAttributeAccess(self, arg: ValueEventArgs) -> int:
        return int(AccessMode.READ_WRITE)

    def onGetMethodAccess(self, arg: ValueEventArgs) -> int:
        return int(MethodAccessMode.ACCESS)

    def onPreGet(self, args: list[ValueEventArgs]) -> None: ...
    def onPostGet(self, args: list[ValueEventArgs]) -> None: ...
    def onPreRead(self, args: list[ValueEventArgs]) -> None: ...
    def onPostRead(self, args: list[ValueEventArgs]) -> None: ...
    def onPreWrite(self, args: list[ValueEventArgs]) -> None: ...
    def onPostWrite(self, args: list[ValueEventArgs]) -> None: ...
    def onPreAction(self, args: list[ValueEventArgs]) -> None: ...
    def onPostAction(self, args: list[ValueEventArgs]) -> None: ...
    def onConnected(self, connection_info: Any) -> None: ...
    def onInvalidConnection(self, connection_info: Any) -> None: ...
    def onDisconnected(self, connection_info: Any) -> None: ...


def _reframe(header: bytes, apdu: bytes, swap: bool = False) -> bytes:
    """A WRAPPER frame with header's version and wPorts (swapped to answer a request) around apdu."""
    ports = header[4:6] + header[2:4] if swap else header[2:6]
    return header[:2] + ports + len(apdu).to_bytes(2, "big") + apdu


def _user_information(aarq: bytes) -> bytes | None:
    """The xDLMS-Initiate.request carried in an AARQ's user-information (tag 0xBE), if any."""
    pos = 2 if len(aarq) > 1 and aarq[1] < 0x80 else 3
    while pos + 1 < len(aarq):
        tag, size, pos = aarq[pos], aarq[pos + 1], pos + 2
        if size == 0x81:
            size, pos = aarq[pos], pos + 1
        if tag == 0xBE and size > 2:
            return aarq[pos + 2:pos + size]  # inside: 0x04 (octet string), length, initiate
        pos += size
    return None


def _is_hls_reply(cmd: int, data: GXByteBuffer) -> bool:
    """ACTION on the association's method 1 is the only service allowed while HLS is pending."""
    start = data.position
    if cmd != Command.METHOD_REQUEST or len(data) - start < 12:
        return False
    class_id = (data.getUInt8(start + 2) << 8) | data.getUInt8(start + 3)
    return class_id == ObjectType.ASSOCIATION_LOGICAL_NAME and data.getUInt8(start + 10) == 1
