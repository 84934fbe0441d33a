using Microsoft.Extensions.Logging;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Xmpp.Component;
using Presence.Xmpp.Psa;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Ping;

/// <summary>
/// Detects paused sessions (docs/ARCHITECTURE.md §5): every <c>interval</c> each available XMPP resource gets an XEP-0199 ping to
/// its full JID; no answer within <c>timeout</c> → the resource is annotated <c>connection-paused</c>; any answer
/// (result, or an error such as feature-not-implemented from a client without ping support) clears it. A server that
/// keeps a session for XEP-0198 resumption sends no unavailable, so this is the only way to notice.
/// </summary>
public sealed class ResourcePinger(PresenceTracker tracker, PresenceAnnotator annotator, TimeSpan interval, TimeSpan timeout, ILogger logger)
{
    /// <summary>Pings resources until the link session ends.</summary>
    public async Task RunSessionAsync(IIqRequester link, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, tracker.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var pings = new List<Task>();
                foreach (var user in tracker.Snapshot().Users)
                {
                    if (user.Get(Protocols.Xmpp) is not { } xmpp) continue;
                    foreach (var r in xmpp.Resources)
                    {
                        if (r.Annotation is { Kind: AnnotationKind.ServerUnavailable }) continue; // its server is unreachable anyway
                        pings.Add(PingAsync(link, user.User, r.Resource));
                    }
                }
                await Task.WhenAll(pings).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task PingAsync(IIqRequester link, UserId user, string resource)
    {
        try
        {
            await link.RequestAsync(IqType.Get, user.Value + "/" + resource, PingModule.Payload(), timeout).ConfigureAwait(false);
            annotator.ClearPaused(user, resource);
        }
        catch (XmppIqTimeoutException)
        {
            if (tracker.Get(user)?.Get(Protocols.Xmpp)?.Resources.Any(r => r.Resource == resource) != true) return; // left meanwhile
            logger.LogInformation("{User}/{Resource} did not answer a ping within {Timeout}: annotated connection-paused", user, resource, timeout);
            annotator.AnnotatePaused(user, resource, timeout);
        }
        catch (XmppLinkLostException)
        {
        }
    }
}
