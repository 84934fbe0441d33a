using System.Xml.Linq;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Component;

/// <summary>
/// Routes iq requests addressed to the component to the handler registered for (type, payload name), and collects
/// the disco features the handlers advertise (XEP-0030 §3.1). Unknown requests are answered
/// <c>service-unavailable</c> (RFC 6120 §8.4); requests without a valid type <c>bad-request</c>.
/// </summary>
public sealed class IqRouter
{
    private readonly Dictionary<(IqType, XName), Func<IqStanza, IqStanza>> _handlers = new();
    private readonly SortedSet<string> _features = new(StringComparer.Ordinal);

    /// <summary>Features advertised in disco#info, sorted.</summary>
    public IReadOnlyCollection<string> Features => _features;

    /// <summary>Registers a handler that returns the answer (result or error) to a request.</summary>
    /// <param name="type">Get or set.</param>
    /// <param name="payload">Qualified name of the payload element.</param>
    /// <param name="handler">Returns the answer stanza.</param>
    /// <param name="feature">A disco feature to advertise, or <c>null</c>.</param>
    public void Register(IqType type, XName payload, Func<IqStanza, IqStanza> handler, string? feature = null)
    {
        _handlers[(type, payload)] = handler;
        if (feature is not null) _features.Add(feature);
    }

    /// <summary>Adds a disco feature without a handler (e.g. <c>urn:xmpp:psa</c>).</summary>
    public void AddFeature(string feature) => _features.Add(feature);

    /// <summary>The answer to a request (get/set).</summary>
    public IqStanza Answer(IqStanza request)
    {
        if (request.Type is not (IqType.Get or IqType.Set)) return request.ErrorFor("bad-request", "modify", "iq type must be get or set");
        var payload = request.Payload;
        if (payload is null) return request.ErrorFor("bad-request", "modify", "iq request without payload");
        return _handlers.TryGetValue((request.Type, payload.Name), out var handler)
            ? handler(request)
            : request.ErrorFor("service-unavailable");
    }
}
