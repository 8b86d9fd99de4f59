// Value names as Wireshark 4.0 shows them (its value strings for the
// smb2.* fields).

package smb2

// fsctlNames: smb2.ioctl.function.
var fsctlNames = map[uint32]string{
	0x60194:  "FSCTL_DFS_GET_REFERRALS",
	0x601b0:  "FSCTL_DFS_GET_REFERRALS_EX",
	0x90000:  "FSCTL_REQUEST_OPLOCK_LEVEL_1",
	0x90004:  "FSCTL_REQUEST_OPLOCK_LEVEL_2",
	0x90008:  "FSCTL_REQUEST_BATCH_OPLOCK",
	0x9000c:  "FSCTL_OPLOCK_BREAK_ACKNOWLEDGE",
	0x90010:  "FSCTL_OPBATCH_ACK_CLOSE_PENDING",
	0x90014:  "FSCTL_OPLOCK_BREAK_NOTIFY",
	0x90018:  "FSCTL_LOCK_VOLUME",
	0x9001c:  "FSCTL_UNLOCK_VOLUME",
	0x90020:  "FSCTL_DISMOUNT_VOLUME",
	0x90028:  "FSCTL_IS_VOLUME_MOUNTED",
	0x9002c:  "FSCTL_IS_PATHNAME_VALID",
	0x90030:  "FSCTL_MARK_VOLUME_DIRTY",
	0x9003b:  "FSCTL_QUERY_RETRIEVAL_POINTERS",
	0x9003c:  "FSCTL_GET_COMPRESSION",
	0x9004f:  "FSCTL_MARK_AS_SYSTEM_HIVE",
	0x90050:  "FSCTL_OPLOCK_BREAK_ACK_NO_2",
	0x90054:  "FSCTL_INVALIDATE_VOLUMES",
	0x90058:  "FSCTL_QUERY_FAT_BPB",
	0x9005c:  "FSCTL_REQUEST_FILTER_OPLOCK",
	0x90060:  "FSCTL_FILESYSTEM_GET_STATISTICS",
	0x90064:  "FSCTL_GET_NTFS_VOLUME_DATA",
	0x90068:  "FSCTL_GET_NTFS_FILE_RECORD",
	0x9006f:  "FSCTL_GET_VOLUME_BITMAP",
	0x90073:  "FSCTL_GET_RETRIEVAL_POINTERS",
	0x90074:  "FSCTL_MOVE_FILE",
	0x90078:  "FSCTL_IS_VOLUME_DIRTY",
	0x9007c:  "FSCTL_GET_HFS_INFORMATION",
	0x90083:  "FSCTL_ALLOW_EXTENDED_DASD_IO",
	0x90087:  "FSCTL_READ_PROPERTY_DATA",
	0x9008b:  "FSCTL_WRITE_PROPERTY_DATA",
	0x9008f:  "FSCTL_FIND_FILES_BY_SID",
	0x90097:  "FSCTL_DUMP_PROPERTY_DATA",
	0x9009c:  "FSCTL_GET_OBJECT_ID",
	0x900a4:  "FSCTL_SET_REPARSE_POINT",
	0x900a8:  "FSCTL_GET_REPARSE_POINT",
	0x900c0:  "FSCTL_CREATE_OR_GET_OBJECT_ID",
	0x900c4:  "FSCTL_SET_SPARSE",
	0x900d4:  "FSCTL_SET_ENCRYPTION",
	0x900db:  "FSCTL_ENCRYPTION_FSCTL_IO",
	0x900df:  "FSCTL_WRITE_RAW_ENCRYPTED",
	0x900e3:  "FSCTL_READ_RAW_ENCRYPTED",
	0x900f0:  "FSCTL_EXTEND_VOLUME",
	0x90244:  "FSCTL_CSV_TUNNEL_REQUEST",
	0x9027c:  "FSCTL_GET_INTEGRITY_INFORMATION",
	0x90284:  "FSCTL_QUERY_FILE_REGIONS",
	0x902c8:  "FSCTL_CSV_SYNC_TUNNEL_REQUEST",
	0x90300:  "FSCTL_QUERY_SHARED_VIRTUAL_DISK_SUPPORT",
	0x90304:  "FSCTL_SVHDX_SYNC_TUNNEL_REQUEST",
	0x90308:  "FSCTL_SVHDX_SET_INITIATOR_INFORMATION",
	0x9030c:  "FSCTL_SET_EXTERNAL_BACKING",
	0x90310:  "FSCTL_GET_EXTERNAL_BACKING",
	0x90314:  "FSCTL_DELETE_EXTERNAL_BACKING",
	0x90318:  "FSCTL_ENUM_EXTERNAL_BACKING",
	0x9031f:  "FSCTL_ENUM_OVERLAY",
	0x90350:  "FSCTL_STORAGE_QOS_CONTROL",
	0x90364:  "FSCTL_SVHDX_ASYNC_TUNNEL_REQUEST",
	0x940b3:  "FSCTL_ENUM_USN_DATA",
	0x940b7:  "FSCTL_SECURITY_ID_CHECK",
	0x940bb:  "FSCTL_READ_USN_JOURNAL",
	0x940cf:  "FSCTL_QUERY_ALLOCATED_RANGES",
	0x940e7:  "FSCTL_CREATE_USN_JOURNAL",
	0x940eb:  "FSCTL_READ_FILE_USN_DATA",
	0x940ef:  "FSCTL_WRITE_USN_CLOSE_RECORD",
	0x94264:  "FSCTL_OFFLOAD_READ",
	0x98098:  "FSCTL_SET_OBJECT_ID",
	0x980a0:  "FSCTL_DELETE_OBJECT_ID",
	0x980a4:  "FSCTL_SET_REPARSE_POINT",
	0x980ac:  "FSCTL_DELETE_REPARSE_POINT",
	0x980bc:  "FSCTL_SET_OBJECT_ID_EXTENDED",
	0x980c8:  "FSCTL_SET_ZERO_DATA",
	0x980d0:  "FSCTL_ENABLE_UPGRADE",
	0x98208:  "FSCTL_FILE_LEVEL_TRIM",
	0x98268:  "FSCTL_OFFLOAD_WRITE",
	0x9c040:  "FSCTL_SET_COMPRESSION",
	0x9c280:  "FSCTL_SET_INTEGRITY_INFORMATION",
	0x110018: "FSCTL_PIPE_WAIT",
	0x11400c: "FSCTL_PIPE_PEEK",
	0x11c017: "FSCTL_PIPE_TRANSCEIVE",
	0x140078: "FSCTL_SRV_REQUEST_RESUME_KEY",
	0x1401d4: "FSCTL_LMR_REQUEST_RESILIENCY",
	0x1401fc: "FSCTL_QUERY_NETWORK_INTERFACE_INFO",
	0x140200: "FSCTL_VALIDATE_NEGOTIATE_INFO_224",
	0x140204: "FSCTL_VALIDATE_NEGOTIATE_INFO",
	0x144064: "FSCTL_SRV_ENUMERATE_SNAPSHOTS",
	0x1440f2: "FSCTL_SRV_COPYCHUNK",
	0x1441bb: "FSCTL_SRV_READ_HASH",
	0x1480f2: "FSCTL_SRV_COPYCHUNK_WRITE",
}

// fileInfoNames: smb2.file_info.infolevel (info type FILE).
var fileInfoNames = map[uint8]string{
	0x4:  "SMB2_FILE_BASIC_INFO",
	0x5:  "SMB2_FILE_STANDARD_INFO",
	0x6:  "SMB2_FILE_INTERNAL_INFO",
	0x7:  "SMB2_FILE_EA_INFO",
	0x8:  "SMB2_FILE_ACCESS_INFO",
	0xa:  "SMB2_FILE_RENAME_INFO",
	0xd:  "SMB2_FILE_DISPOSITION_INFO",
	0xe:  "SMB2_FILE_POSITION_INFO",
	0xf:  "SMB2_FILE_FULL_EA_INFO",
	0x10: "SMB2_FILE_MODE_INFO",
	0x11: "SMB2_FILE_ALIGNMENT_INFO",
	0x12: "SMB2_FILE_ALL_INFO",
	0x13: "SMB2_FILE_ALLOCATION_INFO",
	0x14: "SMB2_FILE_ENDOFFILE_INFO",
	0x15: "SMB2_FILE_ALTERNATE_NAME_INFO",
	0x16: "SMB2_FILE_STREAM_INFO",
	0x17: "SMB2_FILE_PIPE_INFO",
	0x1c: "SMB2_FILE_COMPRESSION_INFO",
	0x22: "SMB2_FILE_NETWORK_OPEN_INFO",
	0x23: "SMB2_FILE_ATTRIBUTE_TAG_INFO",
	0x30: "SMB2_FILE_NORMALIZED_NAME_INFO",
	0x64: "SMB2_FILE_POSIX_INFO",
}

// fsInfoNames: smb2.fs_info.infolevel (info type FILESYSTEM).
var fsInfoNames = map[uint8]string{
	0x1: "FileFsVolumeInformation",
	0x2: "FileFsLabelInformation",
	0x3: "FileFsSizeInformation",
	0x4: "FileFsDeviceInformation",
	0x5: "FileFsAttributeInformation",
	0x6: "FileFsControlInformation",
	0x7: "FileFsFullSizeInformation",
	0x8: "FileFsObjectIdInformation",
	0x9: "FileFsDriverPathInformation",
	0xa: "FileFsVolumeFlagsInformation",
	0xb: "FileFsSectorSizeInformation",
}

// findInfoNames: smb2.find.infolevel (QUERY_DIRECTORY).
var findInfoNames = map[uint8]string{
	0x1:  "SMB2_FIND_DIRECTORY_INFO",
	0x2:  "SMB2_FIND_FULL_DIRECTORY_INFO",
	0x3:  "SMB2_FIND_BOTH_DIRECTORY_INFO",
	0x4:  "SMB2_FIND_INDEX_SPECIFIED",
	0xc:  "SMB2_FIND_NAME_INFO",
	0x25: "SMB2_FIND_ID_BOTH_DIRECTORY_INFO",
	0x26: "SMB2_FIND_ID_FULL_DIRECTORY_INFO",
	0x64: "SMB2_FIND_POSIX_INFO",
}

// negotiateContextNames: smb2.negotiate_context.type.
var negotiateContextNames = map[uint16]string{
	0x1:   "SMB2_PREAUTH_INTEGRITY_CAPABILITIES",
	0x2:   "SMB2_ENCRYPTION_CAPABILITIES",
	0x3:   "SMB2_COMPRESSION_CAPABILITIES",
	0x5:   "SMB2_NETNAME_NEGOTIATE_CONTEXT_ID",
	0x6:   "SMB2_TRANSPORT_CAPABILITIES",
	0x7:   "SMB2_RDMA_TRANSFORM_CAPABILITIES",
	0x8:   "SMB2_SIGNING_CAPABILITIES",
	0x100: "SMB2_POSIX_EXTENSIONS_CAPABILITIES",
}

// cipherNames: smb2.negotiate_context.cipher_id.
var cipherNames = map[uint16]string{
	0x1: "AES-128-CCM",
	0x2: "AES-128-GCM",
	0x3: "AES-256-CCM",
	0x4: "AES-256-GCM",
}

// compressionNames: smb2.negotiate_context.comp_alg_id.
var compressionNames = map[uint16]string{
	0x0: "None",
	0x1: "LZNT1",
	0x2: "LZ77",
	0x3: "LZ77+Huffman",
	0x4: "Pattern_V1",
}

// signingNames: smb2.negotiate_context.signing_id.
var signingNames = map[uint16]string{
	0x0: "HMAC-SHA256",
	0x1: "AES-CMAC",
	0x2: "AES-GMAC",
}

// createActionNames: smb2.create.action.
var createActionNames = map[uint32]string{
	0x0:    "No action taken?",
	0x1:    "The file existed and was opened",
	0x2:    "The file did not exist but was created",
	0x3:    "The file existed and was truncated",
	0x8001: "The file existed and was opened, and an OpLock was granted",
	0x8002: "The file did not exist but was created, and an OpLock was granted",
	0x8003: "The file existed and was truncated, and an OpLock was granted",
}

// dispositionNames: smb2.create.disposition.
var dispositionNames = map[uint32]string{
	0x0: "Supersede (supersede existing file (if it exists))",
	0x1: "Open (if file exists open it, else fail)",
	0x2: "Create (if file exists fail, else create it)",
	0x3: "Open If (if file exists open it, else create it)",
	0x4: "Overwrite (if file exists overwrite, else fail)",
	0x5: "Overwrite If (if file exists overwrite, else create it)",
}

// oplockNames: smb2.create.oplock.
var oplockNames = map[uint8]string{
	0x0:  "No oplock",
	0x1:  "Level2 oplock",
	0x8:  "Exclusive oplock",
	0x9:  "Batch oplock",
	0xff: "Lease",
}

// impersonationNames: smb2.impersonation.level.
var impersonationNames = map[uint32]string{
	0x0: "Anonymous",
	0x1: "Identification",
	0x2: "Impersonation",
	0x3: "Delegation",
}
