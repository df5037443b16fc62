import Foundation
import LessonMarkdown
import Markup

/// Creates a new lesson file, next in order, with front matter and an outline.
public enum LessonScaffold {
    /// Writes `NN-slug.md` into the content folder, where `NN` is one more than the highest
    /// `order` of the course.
    ///
    /// - Parameters:
    ///   - title: The lesson's title.
    ///   - contentDirectory: The content folder (`content`).
    /// - Returns: The new file's path, or the diagnostics that prevented it.
    public static func create(title: String, contentDirectory: String) -> Result<
        String, ScaffoldError
    > {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        let slug = Slug.make(title).filter(\.isASCII)
        guard !title.isEmpty, !slug.isEmpty else {
            return .failure(ScaffoldError("the title must contain letters or digits"))
        }
        let folder =
            contentDirectory.hasSuffix("/") ? String(contentDirectory.dropLast()) : contentDirectory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            return .failure(ScaffoldError("content folder '\(folder)' does not exist"))
        }
        let (course, _) = CourseLoader.load(contentDirectory: folder, withPages: false)
        let highest = course.lessons.map(\.frontMatter.order).max() ?? 0
        let order = highest + 1
        let number = order < 10 ? "0\(order)" : "\(order)"
        let name = "\(number)-\(slug).md"
        let path = "\(folder)/\(name)"
        guard !FileManager.default.fileExists(atPath: path) else {
            return .failure(ScaffoldError("'\(path)' already exists"))
        }
        let text = template(title: title, order: order)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            return .failure(ScaffoldError("cannot write '\(path)'"))
        }
        return .success(path)
    }

    /// The new lesson's text.
    static func template(title: String, order: Int) -> String {
        """
        ---
        title: \(QuotedString.yaml(title))
        order: \(order)
        summary: "One sentence: what the reader can do after this lesson."
        ---

        Start with the question this lesson answers, in two or three sentences.

        ## The idea

        ## How it works

        ## Try it

        Show the calls a reader would write, then what they produce.

        ## Summary

        - The one thing to remember.

        """
    }
}

/// Why `allocbook new` could not create a lesson.
public struct ScaffoldError: Error, Hashable, Sendable {
    /// The message: lowercase, no trailing period.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
