/// One token of the C subset scenario statements are written in.
public struct CToken: Hashable, Sendable {
    /// What a token is.
    public enum Kind: Hashable, Sendable {
        /// An identifier or keyword (`malloc`, `A`, `sizeof`, `GFP_KERNEL`).
        case identifier(String)
        /// An integer literal, suffixes applied (`30K` is 30720).
        case number(UInt64)
        /// A string literal, escapes resolved.
        case string(String)
        /// Punctuation or an operator (`(`, `<<`, `;`).
        case punct(String)
    }

    /// The token.
    public var kind: Kind
    /// The 1-based column of its first character in the lesson line.
    public var column: Int
    /// The 1-based column just past its last character.
    public var endColumn: Int

    /// Creates a token.
    public init(_ kind: Kind, column: Int, endColumn: Int) {
        self.kind = kind
        self.column = column
        self.endColumn = endColumn
    }

    /// The token as written, for messages.
    public var spelling: String {
        switch kind {
        case .identifier(let name): return name
        case .number(let value): return String(value)
        case .string(let text): return "\"" + text + "\""
        case .punct(let text): return text
        }
    }

    /// Whether the token is the punctuation `text`.
    public func isPunct(_ text: String) -> Bool {
        if case .punct(let p) = kind { return p == text }
        return false
    }

    /// The identifier's name, if it is one.
    public var identifier: String? {
        if case .identifier(let name) = kind { return name }
        return nil
    }
}
