internal import CCmarkGFM

/// The cmark-gfm version this module is linked against.
public var cmarkVersion: String { String(cString: cmark_version_string()) }
