/// Why the modelled process died.
///
/// After a fatal outcome every further operation is refused.
public enum MallocFatal: Error, Hashable, Sendable {
    /// glibc's `malloc_printerr`: the message it writes to standard error, then SIGABRT.
    case abort(String)
    /// A read or write of unmapped memory (for example a second free of an munmapped chunk).
    case segfault
}
