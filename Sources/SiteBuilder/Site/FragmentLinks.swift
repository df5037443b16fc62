import LessonMarkdown

/// Checks links to `#fragment` anchors: `[x](#bins)` in the same lesson and
/// `[x](05-malloc.md#bins)` in another, against the ids the target page will carry.
///
/// A page's ids are its headings' ids, the ids the page frame uses itself
/// (``PageRenderer/reservedIDs``) and every `id="…"` in the HTML the fenced-block processors
/// generated for it (scenario blocks, their lines and figure steps). The check is linear in the
/// size of the course.
enum FragmentLinks {
    /// An error for every link whose fragment names no anchor of its target lesson.
    ///
    /// - Parameters:
    ///   - course: The loaded course.
    ///   - replacements: Generated HTML per lesson (in the course's order), by block index.
    /// - Returns: One error per broken fragment, at the link's position.
    static func check(_ course: Course, replacements: [[Int: String]]) -> [Diagnostic] {
        var anchors: [String: Set<String>] = [:]
        for (position, lesson) in course.lessons.enumerated() {
            anchors[lesson.fileName] = Self.anchors(
                of: lesson,
                replacements: position < replacements.count ? replacements[position] : [:])
        }
        return check(course, anchors: anchors)
    }

    /// The same errors as ``check(_:replacements:)`` with the pages' processors, for a
    /// course whose blocks were not made into HTML (`allocbook check`): a fragment that is a
    /// heading or an id of the page frame is found without them; only the lessons that other
    /// fragments point into are run through `processors` (as `build` runs them) for the ids
    /// their generated HTML carries.
    ///
    /// - Returns: One error per broken fragment, at the link's position.
    static func check(_ course: Course, processors: [any FencedBlockProcessor]) -> [Diagnostic] {
        var anchors: [String: Set<String>] = [:]
        for lesson in course.lessons { anchors[lesson.fileName] = Self.anchors(of: lesson) }
        var targets: Set<String> = []
        for lesson in course.lessons {
            for link in lesson.document.links {
                guard let (file, fragment) = target(of: link.destination, in: lesson),
                    let ids = anchors[file], !fragment.isEmpty, !ids.contains(fragment)
                else { continue }
                targets.insert(file)
            }
        }
        let lessons = course.lessons.filter { targets.contains($0.fileName) }
        let generated = Parallel.mapWaiting(lessons, width: 8) { lesson in
            var replacements: [Int: String] = [:]
            for output in processors.map({ $0.process(lesson) }) {
                replacements.merge(output.replacements) { first, _ in first }
            }
            return Self.anchors(of: lesson, replacements: replacements)
        }
        for (lesson, ids) in zip(lessons, generated) { anchors[lesson.fileName] = ids }
        return check(course, anchors: anchors)
    }

    /// The ids a lesson's page will carry.
    static func anchors(of lesson: Lesson, replacements: [Int: String] = [:]) -> Set<String> {
        var ids = PageRenderer.reservedIDs
        for heading in lesson.document.headings { ids.insert(heading.id) }
        for html in replacements.values { collectIDs(in: html, into: &ids) }
        return ids
    }

    /// An error for every link whose fragment is not among its target's `anchors` (by lesson
    /// file name).
    static func check(_ course: Course, anchors: [String: Set<String>]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for lesson in course.lessons {
            for link in lesson.document.links {
                guard let (file, fragment) = target(of: link.destination, in: lesson),
                    let ids = anchors[file], !fragment.isEmpty, !ids.contains(fragment)
                else { continue }
                let column = SourceText.scalarColumn(
                    in: lesson.source, line: link.line, utf8Column: link.utf8Column)
                let place = file == lesson.fileName ? "this lesson" : "'\(file)'"
                diagnostics.append(
                    .error(
                        "link to an anchor that does not exist: '#\(fragment)' in \(place)",
                        at: SourceLocation(path: lesson.path, line: link.line, column: column)))
            }
        }
        return diagnostics
    }

    /// The lesson file and fragment a destination points at (`nil` without a fragment or for
    /// other destinations); a bare `#x` points into `lesson` itself.
    static func target(of destination: String, in lesson: Lesson) -> (String, String)? {
        if destination.hasPrefix("#") {
            return (lesson.fileName, String(destination.dropFirst()))
        }
        guard let (file, rest) = LinkResolver.lessonTarget(destination), rest.hasPrefix("#")
        else { return nil }
        return (file, String(rest.dropFirst()))
    }

    /// Adds every `id="…"` value of `html` to `ids`.
    static func collectIDs(in html: String, into ids: inout Set<String>) {
        let bytes = Array(html.utf8)
        let marker = Array(" id=\"".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            guard bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) else {
                i += 1
                continue
            }
            let start = i + marker.count
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
            ids.insert(String(decoding: bytes[start..<end], as: UTF8.self))
            i = end
        }
    }
}
