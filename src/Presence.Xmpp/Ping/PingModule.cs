using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Ping;

/// <summary>
/// XMPP ping (XEP-0199), all of it in one place: answers pings to the component (§4) and advertises
/// <c>urn:xmpp:ping</c>; per link session, pings the server every <c>keepaliveInterval</c> and runs the
/// <see cref="ResourcePinger"/> that detects paused client sessions (§5). A ping not answered within
/// <c>keepaliveTimeout</c> ends the session (the link is dead, §6) unless the server sent other stanzas meanwhile: a
/// busy server (a burst of logins) is alive, its answer queued behind them.
/// </summary>
/// <param name="server">The server's domain (the keepalive's addressee).</param>
/// <param name="keepaliveInterval">Interval between keepalive pings (&gt; 0).</param>
/// <param name="keepaliveTimeout">Time the server has to answer one (&gt; 0).</param>
/// <param name="resources">The resource pinger.</param>
public sealed class PingModule(string server, TimeSpan keepaliveInterval, TimeSpan keepaliveTimeout, ResourcePinger resources) : IComponentModule
{
    /// <summary>The ping payload name.</summary>
    public static readonly XName Ping = Namespaces.Ping + "ping";

    /// <summary>A new ping payload.</summary>
    public static XElement Payload() => new(Ping);

    /// <inheritdoc />
    public void Register(ModuleRegistry registry)
    {
        registry.Iq(IqType.Get, Ping, iq => iq.ResultFor(), Namespaces.Ping.NamespaceName);
        registry.Connected(KeepaliveAsync);
        registry.Connected((link, token) => resources.RunSessionAsync(link, token));
    }

    /// <exception cref="XmppLinkLostException">The server did not answer a keepalive in time.</exception>
    private async Task KeepaliveAsync(IComponentLink link, CancellationToken token)
    {
        try
        {
            while (true)
            {
                await Task.Delay(keepaliveInterval, token).ConfigureAwait(false);
                var received = link.StanzasReceived;
                try
                {
                    await link.RequestAsync(IqType.Get, server, Payload(), keepaliveTimeout).ConfigureAwait(false);
                }
                catch (XmppIqTimeoutException) when (link.StanzasReceived == received)
                {
                    throw new XmppLinkLostException($"The server did not answer a keepalive ping within {keepaliveTimeout.TotalSeconds:0.#} s and sent nothing else meanwhile.");
                }
                catch (XmppIqTimeoutException)
                {
                    // Alive but busy: other stanzas arrived while this ping waited. The next ping checks again.
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }
}
