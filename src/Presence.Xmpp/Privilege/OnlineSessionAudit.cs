using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.AdHoc;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Privilege;

/// <summary>
/// Keeps privileged mode correct where the server forwards less than XEP-0356 §7 asks (docs/ARCHITECTURE.md §7). ejabberd 23.01's
/// <c>mod_privilege</c> forwards only the presences a client sends itself (its <c>user_send_packet</c> hook): neither the
/// current presences when the component connects, nor the <c>unavailable</c> the server generates when a session ends
/// without one (stream closed, connection lost, kicked). Such users would stay "online" for good. So in privileged mode
/// the component asks the server which sessions are online — ejabberd lists them to an admin as disco#items of node
/// <c>online users</c> on the server's JID (its XEP-0133 module, <c>mod_configure</c>) — right after the handshake and then
/// every <c>interval</c> (<see cref="Component.XmppOptions.SessionAuditInterval"/>, 2 s by default: a user whose session
/// ended is retracted within about that long; measured on ejabberd 23.01, docs/LOCAL_XMPP.md). The event-driven way,
/// a roster item with subscription <c>from</c> for the component in every user's roster (RFC 6121 §4.6: the server
/// then sends it the <c>unavailable</c> of a session ending), cannot be had on ejabberd 23.01: its XEP-0356 §5 roster
/// set fails with internal-server-error, and a roster set would not change the subscription anyway (RFC 6121 §2.1.2.5).
/// A tracked resource the server does not list (and that did not change since the question) is
/// made unavailable; a listed session the component has no presence for yet is added as available (<c>online</c>,
/// priority 0) until its next presence says more. A server that does not list sessions (Prosody 0.12, which forwards
/// both kinds of presence itself) answers with an error: the audit is then off for the link session.
/// </summary>
public sealed class OnlineSessionAudit(PresenceTracker tracker, SessionDetailsResolver? details, string domain, TimeSpan interval, TimeSpan timeout, ILogger logger)
{
    /// <summary>The disco node ejabberd lists online sessions under (mod_configure).</summary>
    public const string OnlineUsersNode = "online users";

    private readonly string _domain = domain.ToLowerInvariant();

    /// <summary>Audits every interval until the link session ends or the server stops listing sessions.</summary>
    /// <param name="link">The session's requester.</param>
    /// <param name="cancellationToken">End of the link session.</param>
    public async Task RunPeriodicAsync(IIqRequester link, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, tracker.Time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await AuditAsync(link, addUnknown: false, _ => { }).ConfigureAwait(false)) return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (XmppLinkLostException)
        {
        }
    }

    /// <summary>
    /// One audit: resources not listed online (and unchanged since the question) become unavailable; with
    /// <paramref name="addUnknown"/> (after the handshake) listed sessions without presence are added as available.
    /// </summary>
    /// <param name="link">The session's requester.</param>
    /// <param name="addUnknown">Add listed sessions the tracker does not have.</param>
    /// <param name="confirmed">Called for each user the server lists (repopulation: that user is online).</param>
    /// <returns><c>false</c> when the server does not list online sessions (an error answer); <c>true</c> otherwise, also on a timeout.</returns>
    /// <exception cref="XmppLinkLostException">The link closed.</exception>
    public async Task<bool> AuditAsync(IIqRequester link, bool addUnknown, Action<UserId> confirmed)
    {
        var asked = tracker.Time.GetUtcNow();
        IqStanza answer;
        try
        {
            answer = await link.RequestAsync(IqType.Get, _domain,
                new XElement(Namespaces.DiscoItems + "query", new XAttribute("node", OnlineUsersNode)), timeout).ConfigureAwait(false);
        }
        catch (XmppIqTimeoutException ex)
        {
            logger.LogWarning("The server did not list its online sessions in time ({Error}); trying again in {Interval:0.#} s", ex.Message, interval.TotalSeconds);
            return true;
        }
        if (answer.Type == IqType.Error)
        {
            logger.LogInformation("The server does not list online sessions ({Error}); relying on the presences it forwards", answer.Error);
            return false;
        }
        var online = new HashSet<(UserId User, string Resource)>();
        foreach (var item in answer.Payload?.Elements(Namespaces.DiscoItems + "item") ?? [])
        {
            if (!Jid.TryParse((string?)item.Attribute("jid") ?? "", out var jid) || jid.Local is null) continue;
            if (!UserId.TryParse(jid.Local + "@" + jid.Domain, out var user, out _)) continue;
            online.Add((user, jid.Resource ?? ""));
        }
        var known = new HashSet<(UserId, string)>();
        var gone = 0;
        foreach (var user in tracker.Snapshot().Users)
        {
            if (!string.Equals(user.User.Domain, _domain, StringComparison.Ordinal) || user.Get(Protocols.Xmpp) is not { } xmpp) continue;
            foreach (var r in xmpp.Resources)
            {
                known.Add((user.User, r.Resource));
                if (online.Contains((user.User, r.Resource)) || r.Since >= asked) continue;
                tracker.Apply(new ResourceUnavailableUpdate(user.User, r.Resource, "", ChangeCause.XmppPresence));
                details?.OnUnavailable(user.User, r.Resource);
                gone++;
            }
        }
        var added = 0;
        foreach (var (user, resource) in online)
        {
            confirmed(user);
            if (!addUnknown || known.Contains((user, resource))) continue;
            tracker.Apply(new ResourceAvailableUpdate(user, resource, XmppShow.Online, 0, ""));
            details?.OnAvailable(user, resource);
            added++;
        }
        if (gone > 0) logger.LogInformation("{Count} sessions ended without a forwarded unavailable (not listed online by the server): made unavailable", gone);
        if (added > 0) logger.LogInformation("{Count} sessions online before the component connected and not forwarded by the server: added as available until their next presence", added);
        return true;
    }
}
