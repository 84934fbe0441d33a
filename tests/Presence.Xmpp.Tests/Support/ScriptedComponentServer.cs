using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Tests.Support;

/// <summary>
/// A loopback server speaking the accept side of XEP-0114 for unit tests: stream header with an id, handshake check
/// (a wrong one gets the stream error not-authorized with a text, like Prosody), then it records every stanza the
/// component sends and answers iq requests through <see cref="Answer"/> (default: an empty result).
/// </summary>
public sealed class ScriptedComponentServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly object _gate = new();
    private Client? _current;
    private int _connections;

    public ScriptedComponentServer(string secret, string domain = "localhost")
    {
        Secret = secret;
        Domain = domain;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string Secret { get; }
    public string Domain { get; }
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => Volatile.Read(ref _connections);
    public int RejectedHandshakes;
    public Channel<XElement> Received { get; private set; } = Channel.CreateUnbounded<XElement>();
    public Channel<int> Authenticated { get; } = Channel.CreateUnbounded<int>();
    public TaskCompletionSource ClosedCleanly { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// One entry per authenticated connection when it ends: <c>true</c> when the component closed its stream first
    /// (RFC 6120 §4.4), <c>false</c> when its connection ended without the closing tag.
    /// </summary>
    public Channel<bool> Ended { get; } = Channel.CreateUnbounded<bool>();

    /// <summary>
    /// Given the connection's number (1-based), whether its correct handshake is refused with the stream error
    /// <c>conflict</c>, as Prosody refuses a second connection for a component JID it still has connected.
    /// </summary>
    public Func<int, bool> RefuseWithConflict { get; set; } = _ => false;

    /// <summary>
    /// Refuse a handshake with <c>conflict</c> while another connection of the component is authenticated, as Prosody
    /// does (one connection per component JID).
    /// </summary>
    public bool OneConnectionPerComponent { get; set; }

    /// <summary>The most authenticated connections the server had at once.</summary>
    public int MaxAuthenticatedAtOnce => Volatile.Read(ref _maxAuthenticated);
    private int _authenticatedNow;
    private int _maxAuthenticated;

    /// <summary>Handshakes refused with <c>conflict</c>.</summary>
    public int ConflictRefusals;

    /// <summary>When set, the server answers the component's closing tag only once this completes (a slow server).</summary>
    public TaskCompletionSource? HoldClose { get; set; }
    public ConcurrentQueue<XElement> AllReceived { get; } = new();

    /// <summary>Answers an iq request; return null to leave it unanswered.</summary>
    public Func<IqStanza, XElement?> Answer { get; set; } = iq => iq.ResultFor().Element;

    /// <summary>Sends raw XML to the connected component.</summary>
    public async Task SendAsync(string xml)
    {
        var c = _current ?? throw new InvalidOperationException("no component connected");
        await c.WriteAsync(xml);
    }

    public Task SendAsync(XElement stanza) => SendAsync(StanzaSerializer.ToXml(stanza));

    /// <summary>
    /// Cuts the TCP connection without closing the stream. <see cref="Received"/> starts afresh, so what a test expects
    /// afterwards comes from the next connection (<see cref="AllReceived"/> keeps everything).
    /// </summary>
    public void Drop()
    {
        lock (_gate)
        {
            if (_current is null) return;
            Received = Channel.CreateUnbounded<XElement>();
            try { _current.Socket.Shutdown(SocketShutdown.Both); } catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
            _current.Socket.Dispose();
            _current = null;
        }
    }

    /// <summary>
    /// The current connection stops reading (as a hung server would): what the component writes piles up in the
    /// socket buffers. The server can still write to the component. Later connections are read normally.
    /// </summary>
    public void StopReading()
    {
        lock (_gate)
        {
            var c = _current ?? throw new InvalidOperationException("no component connected");
            c.Reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits for the next stanza the component sends that matches.</summary>
    public async Task<XElement> ExpectAsync(Func<XElement, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var e = await Received.Reader.ReadAsync(cts.Token);
            if (match(e)) return e;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var client = new Client(socket);
        var received = Received; // a dropped connection's late stanzas stay out of the next connection's channel
        var authenticated = false;
        var closedByComponent = false;
        try
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            client.Stream = stream;
            using var reader = new XmppStreamReader(stream, null, _stop.Token);
            var header = await reader.ReadHeaderAsync();
            var number = Connections;
            var id = "scripted-" + number;
            await client.WriteAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='{id}' from='pubpresence.{Domain}'>");
            var handshake = await reader.ReadStanzaAsync();
            if (handshake?.Name.LocalName != "handshake" || handshake.Value != ComponentHandshake.Compute(id, Secret))
            {
                Interlocked.Increment(ref RejectedHandshakes);
                await client.WriteAsync("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Invalid handshake</text></stream:error></stream:stream>");
                socket.Shutdown(SocketShutdown.Both);
                return;
            }
            // Become the current connection before the component can see the handshake accepted: a test that waits for
            // the link to be Online may send at once.
            var refuse = RefuseWithConflict(number);
            lock (_gate)
            {
                refuse |= OneConnectionPerComponent && _current is not null;
                if (!refuse) _current = client;
            }
            if (refuse)
            {
                Interlocked.Increment(ref ConflictRefusals);
                await client.WriteAsync("<stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Component already connected</text></stream:error></stream:stream>");
                socket.Shutdown(SocketShutdown.Both);
                return;
            }
            authenticated = true;
            var now = Interlocked.Increment(ref _authenticatedNow);
            int max;
            while (now > (max = Volatile.Read(ref _maxAuthenticated)) && Interlocked.CompareExchange(ref _maxAuthenticated, now, max) != max) { }
            await client.WriteAsync("<handshake/>");
            Authenticated.Writer.TryWrite(Connections);
            while (await ReadUnlessStoppedAsync(client, reader) is { } stanza)
            {
                AllReceived.Enqueue(stanza);
                received.Writer.TryWrite(stanza);
                if (stanza.Name.LocalName == "iq" && new IqStanza(stanza) is { Type: IqType.Get or IqType.Set } iq && Answer(iq) is { } answer)
                    await client.WriteAsync(StanzaSerializer.ToXml(answer));
            }
            closedByComponent = true; // the read loop ends with the component's closing tag
            if (HoldClose is { } hold) await hold.Task.WaitAsync(_stop.Token);
            await client.WriteAsync("</stream:stream>"); // RFC 6120 §4.4: close this side too, then the connection
            ClosedCleanly.TrySetResult();
        }
        catch (Exception)
        {
            // connection ended
        }
        finally
        {
            lock (_gate) if (_current == client) _current = null;
            socket.Dispose();
            if (authenticated)
            {
                Interlocked.Decrement(ref _authenticatedNow);
                Ended.Writer.TryWrite(closedByComponent);
            }
        }
    }

    private async Task<XElement?> ReadUnlessStoppedAsync(Client client, XmppStreamReader reader)
    {
        if (client.Reading is { } stopped) await stopped.Task.WaitAsync(_stop.Token);
        return await reader.ReadStanzaAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Drop();
        try { await _acceptLoop; } catch { }
    }

    private sealed class Client(Socket socket)
    {
        private readonly SemaphoreSlim _write = new(1, 1);
        public Socket Socket { get; } = socket;
        public NetworkStream? Stream;
        public volatile TaskCompletionSource? Reading; // set: reading stopped

        public async Task WriteAsync(string xml)
        {
            await _write.WaitAsync();
            try { await Stream!.WriteAsync(Encoding.UTF8.GetBytes(xml)); }
            finally { _write.Release(); }
        }
    }
}
