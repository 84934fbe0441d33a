using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;
using Presence.Xmpp.Xml;

namespace Presence.Bench.LongRuns;

/// <summary>
/// A client of the pubpresence node that follows the service's consumer protocol: (0) ask for the component's
/// presence and go on only once it is available (the node is then up to date); (1) subscribe to the node and keep the
/// events that arrive, unprocessed; (2) fetch all items — the current state; (3) apply the kept events, then every
/// later one (a purge empties the view: the service restarted and repopulates). Parsed with the project's XML stream
/// reader. Reconnect after the server restarted by calling <see cref="ConnectAsync"/> again.
/// </summary>
public sealed class NodeConsumer : IAsyncDisposable
{
    private static readonly XNamespace Client = "jabber:client";
    private static readonly XNamespace PubSub = "http://jabber.org/protocol/pubsub";
    private static readonly XNamespace PubSubEvent = "http://jabber.org/protocol/pubsub#event";
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _items = [];
    private List<XElement>? _kept; // events kept while the items are fetched (steps 1–2)
    private TcpClient? _tcp;
    private NetworkStream? _stream;
    private Task? _readLoop;
    private TaskCompletionSource<bool> _serviceAvailable = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<XElement> _itemsAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<XElement> _subscribeAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string User { get; } = Lab.UserName(0);
    public string BareJid => User + "@" + Lab.Domain;

    /// <summary>The node as this client knows it: item id → status.</summary>
    public Dictionary<string, string> Snapshot() { lock (_gate) return new Dictionary<string, string>(_items); }

    /// <summary>Connects and runs steps 0–3; returns once the view is built.</summary>
    public async Task ConnectAsync(int port, TimeSpan timeout)
    {
        await CloseAsync();
        lock (_gate) { _items.Clear(); _kept = []; }
        _serviceAvailable = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _itemsAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _subscribeAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource(timeout);
        _tcp = new TcpClient { NoDelay = true };
        await _tcp.ConnectAsync("127.0.0.1", port, cts.Token);
        _stream = _tcp.GetStream();
        var reader = await OpenAsync();
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + User + "\0" + Lab.Password));
        await SendAsync($"<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>{auth}</auth>");
        var answer = await reader.ReadStanzaAsync() ?? throw new IOException("stream closed during SASL");
        if (answer.Name.LocalName != "success") throw new InvalidOperationException("SASL failed: " + answer);
        reader.Dispose();
        reader = await OpenAsync();
        await SendAsync("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>consumer</resource></bind></iq>");
        var bound = await reader.ReadStanzaAsync() ?? throw new IOException("stream closed during bind");
        var fullJid = bound.Descendants().FirstOrDefault(e => e.Name.LocalName == "jid")?.Value ?? throw new InvalidOperationException("bind failed: " + bound);
        _readLoop = Task.Run(() => ReadLoopAsync(reader));

        // (0) the component's presence: subscribe (approved by the component) and probe; wait until available.
        await SendAsync($"<presence/><presence type='subscribe' to='{Lab.ComponentJid}'/><presence type='probe' to='{Lab.ComponentJid}'/>");
        await _serviceAvailable.Task.WaitAsync(cts.Token);
        // (1) subscribe to the node, keeping events; (2) fetch the items; (3) apply what was kept.
        await SendAsync($"<iq type='set' id='sub' to='{Lab.PubSubJid}'><pubsub xmlns='{PubSub.NamespaceName}'><subscribe node='pubpresence' jid='{fullJid}'/></pubsub></iq>");
        await _subscribeAnswer.Task.WaitAsync(cts.Token);
        await SendAsync($"<iq type='get' id='items' to='{Lab.PubSubJid}'><pubsub xmlns='{PubSub.NamespaceName}'><items node='pubpresence'/></pubsub></iq>");
        var items = await _itemsAnswer.Task.WaitAsync(cts.Token);
        if ((string?)items.Attribute("type") != "result") throw new InvalidOperationException("fetching the items failed: " + items);
        lock (_gate)
        {
            foreach (var item in items.Descendants(PubSub + "item")) Apply(item);
            foreach (var e in _kept!) ApplyEvent(e);
            _kept = null;
        }
    }

    private async Task<XmppStreamReader> OpenAsync()
    {
        await SendAsync($"<?xml version='1.0'?><stream:stream to='{Lab.Domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
        var reader = new XmppStreamReader(_stream!);
        await reader.ReadHeaderAsync();
        var features = await reader.ReadStanzaAsync();
        if (features?.Name.LocalName != "features") throw new InvalidOperationException("expected stream features, got " + features);
        return reader;
    }

    private async Task ReadLoopAsync(XmppStreamReader reader)
    {
        try
        {
            while (await reader.ReadStanzaAsync() is { } stanza)
            {
                var from = ((string?)stanza.Attribute("from"))?.Split('/')[0];
                var type = (string?)stanza.Attribute("type");
                switch (stanza.Name.LocalName)
                {
                    case "presence" when from == Lab.ComponentJid:
                        if (type == "subscribe") await SendAsync($"<presence type='subscribed' to='{Lab.ComponentJid}'/>");
                        else if (type is null) _serviceAvailable.TrySetResult(true);
                        break;
                    case "iq" when (string?)stanza.Attribute("id") == "items":
                        _itemsAnswer.TrySetResult(stanza);
                        break;
                    case "iq" when (string?)stanza.Attribute("id") == "sub":
                        _subscribeAnswer.TrySetResult(stanza);
                        break;
                    case "iq" when type == "get" && stanza.Elements().Any(e => e.Name.LocalName == "ping"):
                        await SendAsync($"<iq type='result' id='{stanza.Attribute("id")?.Value}' to='{stanza.Attribute("from")?.Value}'/>");
                        break;
                    case "message" when stanza.Element(PubSubEvent + "event") is { } ev:
                        lock (_gate)
                        {
                            if (_kept is not null) _kept.Add(ev);
                            else ApplyEvent(ev);
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException or SocketException or XmppProtocolException or OperationCanceledException) { }
    }

    private void ApplyEvent(XElement ev)
    {
        if (ev.Element(PubSubEvent + "purge") is not null) { _items.Clear(); return; }
        if (ev.Element(PubSubEvent + "items") is not { } items) return;
        foreach (var e in items.Elements())
        {
            if (e.Name.LocalName == "retract") _items.Remove((string?)e.Attribute("id") ?? "");
            else if (e.Name.LocalName == "item") Apply(e);
        }
    }

    private void Apply(XElement item)
    {
        var id = (string?)item.Attribute("id");
        var status = (string?)item.Elements().FirstOrDefault(e => e.Name.LocalName == "user")?.Attribute("status");
        if (id is not null && status is not null) _items[id] = status;
    }

    private async Task SendAsync(string xml) => await _stream!.WriteAsync(Encoding.UTF8.GetBytes(xml));

    private async Task CloseAsync()
    {
        _tcp?.Dispose();
        if (_readLoop is not null) await _readLoop;
        _tcp = null;
        _readLoop = null;
    }

    public async ValueTask DisposeAsync() => await CloseAsync();
}
