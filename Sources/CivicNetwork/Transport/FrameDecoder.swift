import NIOCore

/// Splits the TLS byte stream into frames: a 4-byte big-endian length, then that many bytes.
///
/// A length above `frameBytesMax` is refused before its body is read
/// (``PeerRefusal/frameTooLarge(bytes:maximum:)``), so a peer cannot make this node buffer more than one maximal
/// frame.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    /// Bytes of the length prefix.
    static let prefixBytes = 4

    /// The largest frame body accepted.
    let frameBytesMax: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= frameBytesMax else {
            throw PeerRefusal.frameTooLarge(bytes: Int(length), maximum: frameBytesMax)
        }
        guard buffer.readableBytes >= Self.prefixBytes + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: Self.prefixBytes)
        guard let body = buffer.readBytes(length: Int(length)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(body))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// `body` with its length prefix.
    static func encode(_ body: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: prefixBytes + body.count)
        buffer.writeInteger(UInt32(body.count))
        buffer.writeBytes(body)
        return buffer
    }
}
