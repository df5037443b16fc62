#if arch(wasm32)
    /// The module's C ABI, for the JavaScript loader (`playground.js`):
    /// `ab_buffer(n)` returns a buffer of `n` bytes for the request's UTF-8 text,
    /// `ab_run(n)` runs the request in it and returns the byte length of the JSON result, which
    /// `ab_result()` points to until the next call.
    private var requestBuffer: UnsafeMutablePointer<UInt8>?
    private var resultBuffer: UnsafeMutablePointer<UInt8>?

    /// A buffer for the request of `count` bytes (the previous one is released).
    @_cdecl("ab_buffer")
    public func abBuffer(_ count: Int32) -> UnsafeMutablePointer<UInt8>? {
        requestBuffer?.deallocate()
        requestBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: Int(max(count, 1)))
        return requestBuffer
    }

    /// Runs the request of `count` bytes in the buffer; returns the JSON result's length.
    @_cdecl("ab_run")
    public func abRun(_ count: Int32) -> Int32 {
        guard let buffer = requestBuffer else { return -1 }
        let wire = String(
            decoding: UnsafeBufferPointer(start: buffer, count: Int(count)), as: UTF8.self)
        let json = Array(PlaygroundRunner.run(PlaygroundRequest.decode(wire)).json.utf8)
        resultBuffer?.deallocate()
        let result = UnsafeMutablePointer<UInt8>.allocate(capacity: max(json.count, 1))
        result.initialize(from: json, count: json.count)
        resultBuffer = result
        return Int32(json.count)
    }

    /// The last result's bytes.
    @_cdecl("ab_result")
    public func abResult() -> UnsafeMutablePointer<UInt8>? { resultBuffer }
#endif
