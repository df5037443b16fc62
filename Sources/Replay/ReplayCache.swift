import Foundation

/// Where the replayers `allocbook` carries are installed: one cache folder, names keyed by a
/// hash of what they are made from, so that a changed source is installed again by itself.
public enum ReplayCache {
    /// The cache folder for `environment`: `$XDG_CACHE_HOME/allocbook` (when absolute), else
    /// `$HOME/.cache/allocbook`; `nil` when neither is set.
    public static func folder(environment: [String: String]) -> URL? {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("allocbook")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent(".cache/allocbook")
        }
        return nil
    }

    /// FNV-1a 64 of `bytes`, as 16 hex digits: a cache key.
    public static func hash(_ bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
