import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The operating system's reason for a failed file operation, as `strerror` words it
/// (`no space left on device`), for messages that say what went wrong and why.
enum SystemReason {
    /// The reason behind a Foundation or POSIX error.
    static func text(_ error: any Error) -> String {
        if let posix = error as? POSIXError { return text(errno: posix.code.rawValue) }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return text(errno: Int32(nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain
        {
            return text(errno: Int32(underlying.code))
        }
        switch nsError.code {
        case NSFileReadNoSuchFileError, NSFileNoSuchFileError: return text(errno: ENOENT)
        case NSFileWriteOutOfSpaceError: return text(errno: ENOSPC)
        case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return text(errno: EACCES)
        case NSFileWriteVolumeReadOnlyError: return text(errno: EROFS)
        default: return nsError.localizedDescription
        }
    }

    /// `strerror(code)`, lowercased to continue a sentence.
    static func text(errno code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
