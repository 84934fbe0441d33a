using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Component;

/// <summary>
/// One XEP-0114 connection: TCP, stream header, handshake, then a single reader and a single writer. Every outbound
/// stanza goes through one channel drained by one writer loop, so publishes and replies never interleave bytes;
/// iq answers are matched to requests by id (RFC 6120 §8.2.3) with a timeout. The channel is bounded
/// in stanzas (<see cref="XmlStreamLimits.MaxQueuedStanzas"/>) and in bytes (<see cref="XmlStreamLimits.MaxQueuedBytes"/>;
/// a stanza is serialized when it is queued, so its size is known): when the server stops reading and either bound is
/// reached, the connection is dropped, so the owner reconnects instead of memory growing. Created by <see cref="ConnectAsync"/>.
/// </summary>
public sealed class ComponentConnection : IComponentLink, IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly XmppStreamReader _reader;
    private readonly XmppLinkMonitor _monitor;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime;
    private readonly Channel<string?> _outbound; // serialized stanzas; null = closing tag
    private readonly int _queueCapacity;
    private readonly long _queueByteCapacity;
    private long _queuedBytes;
    private long _peakQueuedStanzas;
    private long _peakQueuedBytes;
    private volatile string? _dropReason;
    private readonly ConcurrentDictionary<string, PendingIq> _pending = new();
    private Task _writerTask = Task.CompletedTask;
    private Task _sweeperTask = Task.CompletedTask;
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    private long _nextId;
    private long _received;
    private int _closed;
    private int _disposed;

    private sealed record PendingIq(TaskCompletionSource<IqStanza> Done, long DeadlineTicks, string To, TimeSpan Timeout);

    private ComponentConnection(TcpClient client, XmppLinkMonitor monitor, ILogger logger, XmlStreamLimits limits, string jid)
    {
        _client = client;
        _stream = client.GetStream();
        _monitor = monitor;
        _logger = logger;
        ComponentJid = jid;
        _queueCapacity = limits.MaxQueuedStanzas;
        _queueByteCapacity = limits.MaxQueuedBytes;
        _outbound = Channel.CreateBounded<string?>(new BoundedChannelOptions(_queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _lifetime = new CancellationTokenSource(); // not linked to the caller's token: stopping closes the stream cleanly first (CloseAsync)
        _reader = new XmppStreamReader(_stream, limits, _lifetime.Token);
    }

    /// <summary>The component's JID (the <c>from</c> of everything sent).</summary>
    public string ComponentJid { get; }

    /// <summary>Cancelled when the connection closes or fails.</summary>
    public CancellationToken Closed => _lifetime.Token;

    /// <summary>Iq requests awaiting an answer.</summary>
    public int PendingIqs => _pending.Count;

    /// <summary>Why the connection was dropped by this side (e.g. the server stopped reading), or <c>null</c>.</summary>
    public string? DropReason => _dropReason;

    /// <summary>Stanzas queued and not yet written (at most <see cref="XmlStreamLimits.MaxQueuedStanzas"/>).</summary>
    public int QueuedStanzas => _outbound.Reader.Count;

    /// <summary>
    /// Memory held by the queued stanzas' serialized text, in bytes (2 per UTF-16 character; at most
    /// <see cref="XmlStreamLimits.MaxQueuedBytes"/>, or one stanza's size when a single stanza is larger).
    /// </summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>The most stanzas the queue held at once on this connection (high-water mark of <see cref="QueuedStanzas"/>).</summary>
    internal long PeakQueuedStanzas => Interlocked.Read(ref _peakQueuedStanzas);

    /// <summary>The most bytes the queue held at once on this connection (high-water mark of <see cref="QueuedBytes"/>).</summary>
    internal long PeakQueuedBytes => Interlocked.Read(ref _peakQueuedBytes);

    /// <summary>
    /// Connects, opens the stream (XEP-0114 §3) and performs the handshake.
    /// </summary>
    /// <param name="host">Server host.</param>
    /// <param name="port">Component port.</param>
    /// <param name="componentJid">The component's JID (the stream's <c>to</c>).</param>
    /// <param name="secret">Shared secret.</param>
    /// <param name="timeout">Time allowed for TCP, header and handshake.</param>
    /// <param name="limits">Stanza size and depth limits.</param>
    /// <param name="monitor">Status to update (Connecting, Authenticating) and count into.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancels the attempt (the open connection is ended by <see cref="CloseAsync"/> or <see cref="DisposeAsync"/>).</param>
    /// <exception cref="XmppStreamErrorException">The server refused the stream or the handshake (e.g. not-authorized for a wrong secret), with its text.</exception>
    /// <exception cref="XmppLinkLostException">The server closed the stream during the handshake, or did not answer in time.</exception>
    /// <exception cref="SocketException">The TCP connection failed.</exception>
    public static async Task<ComponentConnection> ConnectAsync(string host, int port, string componentJid, string secret, TimeSpan timeout,
        XmlStreamLimits limits, XmppLinkMonitor monitor, ILogger logger, CancellationToken cancellationToken)
    {
        monitor.SetState(XmppLinkState.Connecting);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        var client = new TcpClient { NoDelay = true };
        ComponentConnection? connection = null;
        try
        {
            await client.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
            connection = new ComponentConnection(client, monitor, logger, limits, componentJid);
            using var reg = attempt.Token.Register(static c => ((ComponentConnection)c!)._lifetime.Cancel(), connection);
            await connection.HandshakeAsync(secret).ConfigureAwait(false);
            connection.Start();
            return connection;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false); else client.Dispose();
            throw new XmppLinkLostException($"Connecting to {host}:{port} and completing the handshake took longer than {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false); else client.Dispose();
            throw;
        }
    }

    private async Task HandshakeAsync(string secret)
    {
        var header = $"<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' to='{Escape(ComponentJid)}'>";
        await WriteRawAsync(header).ConfigureAwait(false);
        var serverHeader = await _reader.ReadHeaderAsync().ConfigureAwait(false);
        if (string.IsNullOrEmpty(serverHeader.Id)) throw new XmppProtocolException("The server's stream header has no id, so no handshake can be computed (XEP-0114 §3).");
        _monitor.SetState(XmppLinkState.Authenticating);
        var hash = ComponentHandshake.Compute(serverHeader.Id, secret);
        await WriteRawAsync($"<handshake>{hash}</handshake>").ConfigureAwait(false);
        var answer = await _reader.ReadStanzaAsync().ConfigureAwait(false);
        if (answer is null) throw new XmppLinkLostException("The server closed the stream during the handshake.");
        if (StreamError.Is(answer)) throw new XmppStreamErrorException(StreamError.Parse(answer));
        if (answer.Name.LocalName != "handshake") throw new XmppProtocolException($"Expected <handshake/> from the server, got <{answer.Name.LocalName}/>.");
    }

    private void Start()
    {
        _writerTask = Task.Run(WriteLoopAsync);
        _sweeperTask = Task.Run(SweepLoopAsync);
    }

    /// <inheritdoc />
    public long StanzasReceived => Interlocked.Read(ref _received);

    /// <summary>Reads the next stanza from the server.</summary>
    /// <returns>The stanza; never a stream error (thrown instead).</returns>
    /// <exception cref="XmppStreamErrorException">The server sent a stream error (its text is in the message).</exception>
    /// <exception cref="XmppLinkLostException">The server closed the stream or the connection failed.</exception>
    /// <exception cref="XmppProtocolException">The server sent something unacceptable (limits, malformed XML, DTD).</exception>
    public async ValueTask<XElement> ReadStanzaAsync()
    {
        XElement? stanza;
        try
        {
            stanza = await _reader.ReadStanzaAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or EndOfStreamException
                                   || (ex is OperationCanceledException && _lifetime.IsCancellationRequested))
        {
            throw new XmppLinkLostException(_lifetime.IsCancellationRequested ? _dropReason ?? "The connection was closed." : $"The connection failed: {ex.Message}", ex);
        }
        if (stanza is null) throw new XmppLinkLostException("The server closed the stream.");
        Interlocked.Increment(ref _received);
        _monitor.CountReceived();
        if (StreamError.Is(stanza)) throw new XmppStreamErrorException(StreamError.Parse(stanza));
        return stanza;
    }

    /// <summary>
    /// Serializes a stanza and queues it for the writer; never blocks. Ignored after the connection closed. When the
    /// queue is full in stanzas or in bytes (the server stopped reading) the connection is dropped: <see cref="Closed"/>
    /// is cancelled and reads fail with <see cref="XmppLinkLostException"/> naming the bound that was reached. A single
    /// stanza larger than the byte bound is queued when the queue is empty.
    /// </summary>
    public void Send(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (Volatile.Read(ref _closed) != 0) return;
        var text = StanzaSerializer.ToXml(stanza);
        var size = 2L * text.Length;
        var held = Interlocked.Add(ref _queuedBytes, size);
        string reason;
        if (held > _queueByteCapacity && held != size)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            if (Volatile.Read(ref _closed) != 0) return;
            reason = $"The XMPP server stopped reading: {held - size:N0} bytes of stanzas are waiting to be written (Presence:Xmpp:OutboundQueueBytes); dropping the connection to reconnect.";
        }
        else if (_outbound.Writer.TryWrite(text))
        {
            RaisePeak(ref _peakQueuedBytes, held);
            RaisePeak(ref _peakQueuedStanzas, _outbound.Reader.Count);
            return;
        }
        else
        {
            Interlocked.Add(ref _queuedBytes, -size);
            if (Volatile.Read(ref _closed) != 0) return;
            reason = $"The XMPP server stopped reading: {_queueCapacity} stanzas are waiting to be written (Presence:Xmpp:OutboundQueueCapacity); dropping the connection to reconnect.";
        }
        _logger.LogWarning("{Reason}", reason);
        _dropReason = reason;
        Abort(reason);
    }

    /// <summary>Queues a stanza for the writer.</summary>
    public void Send(Stanza stanza) => Send(stanza.Element);

    /// <summary>
    /// A new iq id: 64 random bits (<see cref="RandomNumberGenerator"/>) in hex, a dash, and a counter in hex — unique on
    /// this connection and unpredictable to other entities, so an answer cannot be forged by guessing the next id.
    /// </summary>
    public string NextId()
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random) + "-" + Interlocked.Increment(ref _nextId).ToString("x");
    }

    /// <summary>
    /// Sends an iq request (get/set) and returns its answer (result or error) matched by id.
    /// </summary>
    /// <param name="type">Get or set.</param>
    /// <param name="to">Addressee.</param>
    /// <param name="payload">The payload element.</param>
    /// <param name="timeout">Time to wait for the answer.</param>
    /// <returns>The answer; <see cref="IqStanza.Type"/> tells result from error.</returns>
    /// <exception cref="XmppIqTimeoutException">No answer in time.</exception>
    /// <exception cref="XmppLinkLostException">The connection closed before the answer.</exception>
    public Task<IqStanza> RequestAsync(IqType type, string to, XElement payload, TimeSpan timeout)
    {
        var id = NextId();
        var done = new TaskCompletionSource<IqStanza>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = new PendingIq(done, Environment.TickCount64 + (long)timeout.TotalMilliseconds, to, timeout);
        if (Volatile.Read(ref _closed) != 0)
        {
            _pending.TryRemove(id, out _);
            done.TrySetException(new XmppLinkLostException("The connection is closed."));
            return done.Task;
        }
        Send(IqStanza.Request(type, ComponentJid, to, id, payload));
        return done.Task;
    }

    /// <summary>Like <see cref="RequestAsync"/> but throws <see cref="XmppIqErrorException"/> for an error answer.</summary>
    public async Task<IqStanza> RequestResultAsync(IqType type, string to, XElement payload, TimeSpan timeout)
    {
        var answer = await RequestAsync(type, to, payload, timeout).ConfigureAwait(false);
        if (answer.Type == IqType.Error) throw new XmppIqErrorException(answer.Error ?? new StanzaError("", "undefined-condition", null), to);
        return answer;
    }

    /// <summary>
    /// Completes the request an iq result or error answers. The answer must come from the entity the request was
    /// addressed to (RFC 6120 §8.1.2.1): its <c>from</c> equals the request's <c>to</c> (the same full JID, or the
    /// same bare JID or domain when the request went to one); a request without <c>to</c> (to the server) accepts an
    /// answer without <c>from</c>. An answer from anyone else leaves the request pending.
    /// </summary>
    /// <returns><c>false</c> when no request with that id is pending (late or unknown answer) or the sender does not match.</returns>
    public bool CompleteRequest(IqStanza answer)
    {
        if (answer.Id is not { } id || !_pending.TryGetValue(id, out var pending)) return false;
        if (!AnswersFrom(pending.To, answer.FromText)) return false;
        if (!_pending.TryRemove(KeyValuePair.Create(id, pending))) return false;
        pending.Done.TrySetResult(answer);
        return true;
    }

    /// <summary>Whether an answer whose <c>from</c> is <paramref name="from"/> may answer a request sent to <paramref name="to"/> (RFC 6120 §8.1.2.1).</summary>
    /// <param name="to">The request's <c>to</c>; empty or <c>null</c> for a request to the server.</param>
    /// <param name="from">The answer's <c>from</c>, or <c>null</c>.</param>
    public static bool AnswersFrom(string? to, string? from)
    {
        if (string.IsNullOrEmpty(to)) return string.IsNullOrEmpty(from);
        if (string.IsNullOrEmpty(from)) return false;
        if (Jid.TryParse(to, out var toJid) && Jid.TryParse(from, out var fromJid)) return toJid.Equals(fromJid);
        return string.Equals(to, from, StringComparison.Ordinal);
    }

    /// <summary>
    /// Closes the stream cleanly (RFC 6120 §4.4): queued stanzas are written, then <c>&lt;/stream:stream&gt;</c>; when
    /// <paramref name="serverClosed"/> is given, this side then waits for the server to close its stream too and to end
    /// the connection — by then it has released the component's address, so a component connecting right after is
    /// treated as new (ejabberd sends its XEP-0356 permission advertisement only to a component that was not still
    /// connected) — and only then closes the socket.
    /// </summary>
    /// <param name="timeout">Time allowed for all of it; what remains undone is cut by closing the socket.</param>
    /// <param name="serverClosed">The read loop, which ends when the server's closing tag (or the end of the connection) arrives.</param>
    public async Task CloseAsync(TimeSpan timeout, Task? serverClosed = null)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        using var deadline = new CancellationTokenSource(timeout);
        _outbound.Writer.TryWrite(null); // null = closing tag
        _outbound.Writer.TryComplete();
        try
        {
            await _writerTask.WaitAsync(deadline.Token).ConfigureAwait(false);
            if (serverClosed is not null)
            {
                await serverClosed.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)
                    .WaitAsync(deadline.Token).ConfigureAwait(false);
                var rest = new byte[512];
                while (await _stream.ReadAsync(rest, deadline.Token).ConfigureAwait(false) > 0) { } // until the server's end of the connection
            }
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Closing the XMPP stream did not complete cleanly");
        }
        Abort("The connection was closed.");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Interlocked.Exchange(ref _closed, 1);
        _outbound.Writer.TryComplete();
        Abort("The connection was closed.");
        try { await Task.WhenAll(_writerTask, _sweeperTask).ConfigureAwait(false); }
        catch (Exception ex) { _logger.LogDebug(ex, "XMPP connection tasks ended with an error"); }
        try
        {
            _reader.Dispose();
        }
        catch (InvalidOperationException)
        {
            // a read is still pending on the closed socket; it fails on its own and the parser holds nothing else
        }
    }

    private static void RaisePeak(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen) { }
    }

    private void Abort(string reason)
    {
        Volatile.Write(ref _closed, 1);
        _lifetime.Cancel();
        _client.Dispose();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var p)) p.Done.TrySetException(new XmppLinkLostException(reason));
        }
    }

    private async Task WriteLoopAsync()
    {
        var sb = new StringBuilder(64 * 1024);
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_lifetime.Token).ConfigureAwait(false))
            {
                var count = 0;
                var closing = false;
                while (sb.Length < 60 * 1024 && reader.TryRead(out var stanza))
                {
                    if (stanza is null) { sb.Append("</stream:stream>"); closing = true; break; }
                    sb.Append(stanza);
                    Interlocked.Add(ref _queuedBytes, -2L * stanza.Length);
                    count++;
                }
                await WriteRawAsync(sb).ConfigureAwait(false);
                sb.Clear();
                _monitor.CountSent(count);
                if (closing) return;
            }
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Writing to the XMPP server failed: {Error}", ex.Message);
            Abort($"Writing to the server failed: {ex.Message}");
        }
    }

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                var now = Environment.TickCount64;
                foreach (var (id, p) in _pending)
                {
                    if (p.DeadlineTicks <= now && _pending.TryRemove(id, out _))
                        p.Done.TrySetException(new XmppIqTimeoutException(id, p.To, p.Timeout));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task WriteRawAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _stream.WriteAsync(bytes, _lifetime.Token).ConfigureAwait(false);
    }

    private async Task WriteRawAsync(StringBuilder text)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = 0;
            _encoder.Reset();
            foreach (var chunk in text.GetChunks()) n += _encoder.GetBytes(chunk.Span, buffer.AsSpan(n), flush: false); // a surrogate pair may span chunks
            n += _encoder.GetBytes(ReadOnlySpan<char>.Empty, buffer.AsSpan(n), flush: true);
            await _stream.WriteAsync(buffer.AsMemory(0, n), _lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static string Escape(string value)
    {
        var sb = new StringBuilder();
        StanzaSerializer.AppendEscaped(sb, value, attribute: true);
        return sb.ToString();
    }
}
