/// Parts of drawings shared between the frames of one figure.
///
/// The first frame that draws a part defines it as `<g id="…">`; a later frame whose part
/// is byte for byte the same refers to it with `<use href="#…">`, so that the address-space
/// column, which rarely changes, is sent once per figure instead of once per step.
struct SharedParts {
    private let prefix: String
    private var ids: [String: String] = [:]

    /// Creates an empty registry whose ids start with `prefix` (unique on the page).
    init(prefix: String) {
        self.prefix = prefix
    }

    /// Appends `part` to `canvas`: defined here the first time, referred to afterwards.
    ///
    /// Parts with changes marked (`chg`) are never shared: inside a `<use>` copy, selectors
    /// that depend on an ancestor (the figure's diff switch) do not match.
    mutating func place(_ part: Canvas, into canvas: inout Canvas) {
        if part.body.contains(" chg\"") {
            canvas.append(part)
        } else if let id = ids[part.body] {
            canvas.append(part, referringTo: id)
        } else {
            let id = "\(prefix)-p\(ids.count + 1)"
            ids[part.body] = id
            canvas.append(part, definingAs: id)
        }
    }
}
