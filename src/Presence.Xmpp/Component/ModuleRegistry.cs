using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;


/// <summary>
/// What the component's modules registered: iq request handlers by (type, payload name) and the disco features they
/// advertise (XEP-0030 §3.1), presence and message handlers, and hooks run when a link session starts (a task that runs
/// for the session) and after it ended. The session routes every stanza through it. Unknown iq requests are answered
/// <c>service-unavailable</c> (RFC 6120 §8.4), requests without a valid type or payload <c>bad-request</c>.
/// Registration happens before the component runs; dispatching is then read-only and thread-safe.
/// </summary>
public sealed class ModuleRegistry
{
    private readonly List<IComponentModule> _modules = [];
    private readonly Dictionary<(IqType, XName), (Func<IqStanza, IqStanza> Handler, IComponentModule? Owner)> _iq = new();
    private readonly List<(string Feature, IComponentModule? Owner)> _features = [];
    private readonly List<(Action<PresenceStanza, IStanzaSender> Handler, IComponentModule? Owner)> _presence = [];
    private readonly List<(Func<XElement, bool> Handler, IComponentModule? Owner)> _message = [];
    private readonly List<(Func<IComponentLink, CancellationToken, Task> Hook, IComponentModule? Owner)> _connected = [];
    private readonly List<(Action Hook, IComponentModule? Owner)> _disconnected = [];
    private IComponentModule? _registering;

    /// <summary>The modules added, in order.</summary>
    public IReadOnlyList<IComponentModule> Modules => _modules;

    /// <summary>Features advertised in disco#info, sorted and distinct (XEP-0030 §3.1).</summary>
    public IReadOnlyCollection<string> Features => _features.Select(f => f.Feature).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds a module: it registers its handlers, features and hooks.</summary>
    public void Add(IComponentModule module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _registering = module;
        try { module.Register(this); }
        finally { _registering = null; }
        _modules.Add(module);
    }

    /// <summary>Removes a module with every handler, feature and hook it registered.</summary>
    public void Remove(IComponentModule module)
    {
        _modules.Remove(module);
        foreach (var key in _iq.Where(p => p.Value.Owner == module).Select(p => p.Key).ToList()) _iq.Remove(key);
        _features.RemoveAll(f => f.Owner == module);
        _presence.RemoveAll(h => h.Owner == module);
        _message.RemoveAll(h => h.Owner == module);
        _connected.RemoveAll(h => h.Owner == module);
        _disconnected.RemoveAll(h => h.Owner == module);
    }

    /// <summary>Registers the answer to an iq request (get/set) with payload <paramref name="payload"/>.</summary>
    /// <param name="type">Get or set.</param>
    /// <param name="payload">Qualified name of the payload element.</param>
    /// <param name="handler">Returns the answer stanza (result or error); runs on the read loop and must not wait.</param>
    /// <param name="feature">A disco feature to advertise with it, or <c>null</c>.</param>
    public void Iq(IqType type, XName payload, Func<IqStanza, IqStanza> handler, string? feature = null)
    {
        _iq[(type, payload)] = (handler, _registering);
        if (feature is not null) Feature(feature);
    }

    /// <summary>Advertises a disco feature (e.g. <c>urn:xmpp:psa</c>).</summary>
    public void Feature(string feature) => _features.Add((feature, _registering));

    /// <summary>Handles every presence stanza (runs on the read loop: must not wait for I/O).</summary>
    public void Presence(Action<PresenceStanza, IStanzaSender> handler) => _presence.Add((handler, _registering));

    /// <summary>Offers every message stanza; the handler returns <c>true</c> when it was the one meant for it.</summary>
    public void Message(Func<XElement, bool> handler) => _message.Add((handler, _registering));

    /// <summary>
    /// Runs <paramref name="hook"/> when a link session starts, before the first stanza is read (its synchronous part
    /// runs first), as a task that ends with the session (cancelled). A hook that throws
    /// <see cref="XmppLinkLostException"/> ends the session with that reason (e.g. the keepalive).
    /// </summary>
    public void Connected(Func<IComponentLink, CancellationToken, Task> hook) => _connected.Add((hook, _registering));

    /// <summary>Runs <paramref name="hook"/> after a link session ended (the stream is closed).</summary>
    public void Disconnected(Action hook) => _disconnected.Add((hook, _registering));

    /// <summary>The answer to an iq request (get/set).</summary>
    public IqStanza Answer(IqStanza request)
    {
        if (request.Type is not (IqType.Get or IqType.Set)) return request.ErrorFor("bad-request", "modify", "iq type must be get or set");
        var payload = request.Payload;
        if (payload is null) return request.ErrorFor("bad-request", "modify", "iq request without payload");
        return _iq.TryGetValue((request.Type, payload.Name), out var entry) ? entry.Handler(request) : request.ErrorFor("service-unavailable");
    }

    internal void DispatchPresence(PresenceStanza presence, IStanzaSender link)
    {
        foreach (var (handler, _) in _presence) handler(presence, link);
    }

    internal void DispatchMessage(XElement message)
    {
        foreach (var (handler, _) in _message)
            if (handler(message)) return;
    }

    internal List<Task> StartSession(IComponentLink link, CancellationToken token)
    {
        var tasks = new List<Task>(_connected.Count);
        foreach (var (hook, _) in _connected)
        {
            try { tasks.Add(hook(link, token)); }
            catch (Exception ex) { tasks.Add(Task.FromException(ex)); }
        }
        return tasks;
    }

    internal void EndSession()
    {
        foreach (var (hook, _) in _disconnected) hook();
    }
}
