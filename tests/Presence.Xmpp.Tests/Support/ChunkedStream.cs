using System.Text;
using System.Threading.Channels;

namespace Presence.Xmpp.Tests.Support;

/// <summary>
/// A read-only stream that hands out exactly the chunks it is given, one per read, and then waits for more
/// (like a live socket) until <see cref="Complete"/> is called.
/// </summary>
public sealed class ChunkedStream : Stream
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private byte[]? _current;
    private int _offset;
    public long TotalRead;

    public void Add(byte[] chunk) => _chunks.Writer.TryWrite(chunk);

    public void Add(string text, int chunkSize)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i += chunkSize) Add(bytes[i..Math.Min(bytes.Length, i + chunkSize)]);
    }

    public void Complete() => _chunks.Writer.TryComplete();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_current is null || _offset == _current.Length)
        {
            if (!await _chunks.Reader.WaitToReadAsync(cancellationToken)) return 0;
            _chunks.Reader.TryRead(out _current);
            _offset = 0;
        }
        var n = Math.Min(buffer.Length, _current!.Length - _offset);
        _current.AsSpan(_offset, n).CopyTo(buffer.Span);
        _offset += n;
        TotalRead += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
