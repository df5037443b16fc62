/// Slugs for heading ids and page names.
public enum Slug {
    /// Makes a slug: lowercase letters and digits, words joined by `-`.
    ///
    /// `Buddy allocator & friends` gives `buddy-allocator-friends`; `kmalloc()` gives `kmalloc`.
    /// Text with no letters or digits gives an empty string.
    public static func make(_ text: some StringProtocol) -> String {
        var out = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "_" {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.append(character)
            } else if character == " " || character == "-" || character == "\t" {
                pendingDash = true
            }
        }
        return out
    }
}

/// Hands out unique slugs: the second `summary` becomes `summary-1`, the third `summary-2`.
public struct UniqueSlugs: Sendable {
    private var used: Set<String>

    /// Creates the set, with slugs that are already taken.
    public init(reserved: Set<String> = []) {
        used = reserved
    }

    /// Returns `base` (or `fallback` when `base` is empty), made unique with `-1`, `-2`, ….
    public mutating func claim(_ base: String, fallback: String = "section") -> String {
        let base = base.isEmpty ? fallback : base
        var candidate = base
        var n = 0
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        used.insert(candidate)
        return candidate
    }
}
