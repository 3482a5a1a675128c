"""The HES side of DLMS/COSEM, pure Python: no sockets, no database, no AWS.

wrapper       IEC 62056-47 WRAPPER framing: parse(buffer) -> (consumed, frame | None), encode(...)
notify        push Data-Notifications decoded through gurux; apply_push_layout -> readings
fastpath      the same decode, hand-rolled for the common small push, falling back to notify
client        sans-IO client session (AARQ/HLS-GMAC, GET with blocks, SET, ACTION, RLRQ) on gurux
security      suite-0 AES-GCM with `cryptography` (gurux's own is slow and prints on every decrypt)
obis          OBIS text forms and the standard catalogue gurux ships (OBISCodes.txt)
cosem_values  plain-Python values, the date-time and octet-string rules
outcomes      Result and DLMS error codes as operator words
"""
