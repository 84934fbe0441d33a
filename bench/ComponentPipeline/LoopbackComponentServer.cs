using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ComponentPipeline;

/// <summary>
/// The accept side of XEP-0114 on loopback, kept cheap so the measurement is the component's: it checks the handshake,
/// answers every iq request the component sends with an empty result (found by a byte scan for <c>&lt;iq </c> and its
/// id), counts publishes, and writes presence stanzas as fast as the socket takes them.
/// </summary>
internal sealed class LoopbackComponentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _secret;
    private Socket? _socket;
    private NetworkStream? _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Task? _readLoop;
    public long Publishes;
    public long Retracts;
    public long IqRequests;

    public LoopbackComponentServer(string secret)
    {
        _secret = secret;
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task AcceptAsync()
    {
        _socket = await _listener.AcceptSocketAsync();
        _socket.NoDelay = true;
        _stream = new NetworkStream(_socket, ownsSocket: true);
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains("<stream:stream")) text.Append(Encoding.UTF8.GetString(buffer, 0, await _stream.ReadAsync(buffer)));
        const string id = "bench-stream-1";
        await WriteAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='{id}' from='pubpresence.localhost'>");
        text.Clear();
        while (!text.ToString().Contains("</handshake>")) text.Append(Encoding.UTF8.GetString(buffer, 0, await _stream.ReadAsync(buffer)));
        var expected = Presence.Xmpp.Component.ComponentHandshake.Compute(id, _secret);
        if (!text.ToString().Contains(expected)) throw new InvalidOperationException("wrong handshake");
        await WriteAsync("<handshake/>");
        _readLoop = Task.Run(ReadLoopAsync);
    }

    public async Task WriteAsync(string text) => await WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync();
        try { await _stream!.WriteAsync(bytes); }
        finally { _writeLock.Release(); }
    }

    // Counts one iq request: publishes and retracts by the payload's start.
    private void CountRequest(ReadOnlySpan<byte> afterStartTag)
    {
        var window = afterStartTag[..Math.Min(afterStartTag.Length, 120)];
        if (window.IndexOf("<publish "u8) >= 0) Publishes++;
        else if (window.IndexOf("<retract "u8) >= 0) Retracts++;
        IqRequests++;
    }

    // Scans the component's output for iq requests and answers each with a result.
    private async Task ReadLoopAsync()
    {
        var buffer = new byte[256 * 1024];
        var carry = 0;
        var answers = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await _stream!.ReadAsync(buffer.AsMemory(carry));
                if (n == 0) return;
                var length = carry + n;
                var span = buffer.AsSpan(0, length);
                var consumed = IqAnswers.Scan(span, answers, CountRequest);
                if (answers.Length > 0)
                {
                    await WriteAsync(answers.ToString());
                    answers.Clear();
                }
                carry = length - consumed;
                buffer.AsSpan(consumed, carry).CopyTo(buffer);
            }
        }
        catch (Exception) when (_socket is null || !_socket.Connected)
        {
        }
        catch (IOException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _socket?.Dispose();
        if (_readLoop is not null) { try { await _readLoop; } catch { } }
    }
}
