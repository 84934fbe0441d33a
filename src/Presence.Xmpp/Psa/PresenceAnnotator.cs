using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Xmpp.Psa;

/// <summary>
/// Sets and clears the component's XEP-0310 annotations in the tracker (docs/ARCHITECTURE.md §5): <c>server-unavailable</c> on every
/// XMPP resource when the link is lost or not yet up, on a remote domain's resources when its server is unreachable,
/// and <c>connection-paused</c> on a resource that stopped answering pings. Fresh presence clears a resource's
/// annotation by itself (<see cref="ResourceAvailableUpdate"/>).
/// </summary>
/// <param name="tracker">The tracker.</param>
/// <param name="componentJid">The annotating entity (the <c>from</c> of every annotation).</param>
public sealed class PresenceAnnotator(PresenceTracker tracker, string componentJid)
{
    private readonly object _gate = new();
    private readonly HashSet<string> _unreachableDomains = new(StringComparer.Ordinal);

    /// <summary>The annotating entity.</summary>
    public string From => componentJid;

    /// <summary>Annotates every XMPP resource of every user <c>server-unavailable</c> at once (XEP-0310 §4.1).</summary>
    /// <param name="description">Why, e.g. "The link to the XMPP server was lost".</param>
    /// <param name="cause">Usually <see cref="ChangeCause.LinkLoss"/>.</param>
    /// <returns>Number of users changed.</returns>
    public int AnnotateAll(string description, ChangeCause cause)
    {
        var annotation = new StateAnnotation(AnnotationKind.ServerUnavailable, componentJid, description, tracker.Time.GetUtcNow());
        return tracker.ApplyToAll(u => HasResources(u) ? new AnnotationUpdate(u.User, Protocols.Xmpp, null, annotation, cause) : null).Count;
    }

    /// <summary>
    /// Annotates the XMPP resources of every user of <paramref name="domain"/> <c>server-unavailable</c> after a
    /// <c>remote-server-not-found</c>/<c>remote-server-timeout</c> error (RFC 6120 §8.3.3.14/15).
    /// </summary>
    /// <returns>Number of users changed.</returns>
    public int AnnotateDomain(string domain, string condition)
    {
        lock (_gate) _unreachableDomains.Add(domain);
        var annotation = new StateAnnotation(AnnotationKind.ServerUnavailable, componentJid, $"The server of {domain} is unreachable ({condition})", tracker.Time.GetUtcNow());
        return tracker.ApplyToAll(u => u.User.Domain == domain && HasResources(u)
            ? new AnnotationUpdate(u.User, Protocols.Xmpp, null, annotation, ChangeCause.RemoteServerError) : null).Count;
    }

    /// <summary>Presence arrived from <paramref name="domain"/>: it is reachable again.</summary>
    /// <returns><c>true</c> when the domain was marked unreachable (its other users should be probed again).</returns>
    public bool DomainReachable(string domain)
    {
        lock (_gate) return _unreachableDomains.Remove(domain);
    }

    /// <summary>True while <paramref name="domain"/> is marked unreachable.</summary>
    public bool IsUnreachable(string domain)
    {
        lock (_gate) return _unreachableDomains.Contains(domain);
    }

    /// <summary>Annotates one resource <c>connection-paused</c> (XEP-0310 §4.2) after an unanswered ping.</summary>
    public void AnnotatePaused(UserId user, string resource, TimeSpan timeout) =>
        tracker.Apply(new AnnotationUpdate(user, Protocols.Xmpp, resource,
            new StateAnnotation(AnnotationKind.ConnectionPaused, componentJid, $"No answer to a ping within {timeout.TotalSeconds:0.#} s", tracker.Time.GetUtcNow()),
            ChangeCause.PingTimeout));

    /// <summary>Clears a <c>connection-paused</c> annotation of a resource that answered (an empty annotation on the wire).</summary>
    public void ClearPaused(UserId user, string resource)
    {
        var r = tracker.Get(user)?.Get(Protocols.Xmpp)?.Resources.FirstOrDefault(x => x.Resource == resource);
        if (r?.Annotation is { Kind: AnnotationKind.ConnectionPaused })
            tracker.Apply(new AnnotationUpdate(user, Protocols.Xmpp, resource, null, ChangeCause.PingTimeout));
    }

    private static bool HasResources(UserPresence u) => u.Get(Protocols.Xmpp) is { Resources.IsEmpty: false };
}
