namespace Presence.Xmpp.Xml;

/// <summary>
/// Read side of the socket for the XML parser: counts bytes, refuses to read more than the stanza limit past the
/// last stanza boundary (so an endless text node or attribute cannot grow the parser's buffer without bound),
/// and passes the connection's cancellation token to every read (the async <c>XmlReader</c> takes none).
/// </summary>
internal sealed class MeteredStream(Stream inner, long limit, CancellationToken cancellationToken) : Stream
{
    private long _total;
    private long _mark;

    public long TotalBytes => _total;

    /// <summary>Marks a stanza boundary: the limit counts from here.</summary>
    public void Mark() => _mark = _total;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken token = default)
    {
        if (_total - _mark > limit)
            throw new XmppProtocolException($"A stanza exceeded the limit of {limit - XmlStreamLimits.ReadAheadSlack} bytes.");
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _total += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
        ReadAsync(buffer.AsMemory(offset, count), token).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The XMPP stream is read asynchronously only.");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
