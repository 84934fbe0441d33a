using Microsoft.Extensions.Logging;
using Presence.Xmpp.Stanzas;
using Presence.Xmpp.Xml;

namespace Presence.Xmpp.Component;

/// <summary>
/// One online link session: owns the stream and routes stanzas, nothing else. Before the first stanza is read it
/// starts every module's connect hook (<see cref="ModuleRegistry.Connected"/>); then it reads stanzas and routes
/// presence and message stanzas to the modules' handlers, iq answers to the request awaiting them and iq requests to
/// the handler registered for their payload. Ends when the link fails or a hook reports it lost (the reason is
/// rethrown), or when cancelled (clean close; when <c>abort</c> is cancelled, the socket is closed at once instead); then the hooks are cancelled and awaited and the disconnect hooks run.
/// </summary>
internal sealed class ComponentSession(ComponentConnection connection, ModuleRegistry registry, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken, CancellationToken abort = default)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Closed);
        var token = session.Token;
        var hooks = registry.StartSession(connection, token);
        var read = Task.Run(ReadLoopAsync, CancellationToken.None);
        var lost = FirstLinkLossAsync(hooks, token);
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var ended = await Task.WhenAny(read, lost, cancelled).ConfigureAwait(false);
        // A stop also cancels the hooks (linked token), which may complete first: a stop is a stop.
        if (cancellationToken.IsCancellationRequested) ended = cancelled;
        if (ended == cancelled && abort.IsCancellationRequested)
        {
            logger.LogWarning("Closing the XMPP connection at once, without closing the stream: this node no longer holds the component's lease");
        }
        else if (ended == cancelled)
        {
            logger.LogInformation("Closing the XMPP stream");
            await connection.CloseAsync(TimeSpan.FromSeconds(2), serverClosed: read).ConfigureAwait(false);
        }
        else if (ended == read && read.Exception?.GetBaseException() is XmppProtocolException protocol)
        {
            connection.Send(new StreamError("not-well-formed", protocol.Message).ToElement());
            await connection.CloseAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        session.Cancel();
        await connection.DisposeAsync().ConfigureAwait(false);
        foreach (var t in hooks.Append(read).Append(lost))
        {
            try { await t.ConfigureAwait(false); }
            catch (Exception) when (t == read || t == lost) { } // the reason is rethrown below
            catch (Exception ex) when (ex is OperationCanceledException or XmppLinkLostException) { }
            catch (Exception ex) { logger.LogWarning(ex, "A component session task failed"); }
        }
        registry.EndSession();
        if (ended != cancelled) await ended.ConfigureAwait(false); // rethrows the reason the link ended
    }

    /// <summary>Completes with the first <see cref="XmppLinkLostException"/> a hook throws; otherwise waits for the end of the session.</summary>
    private static async Task FirstLinkLossAsync(List<Task> hooks, CancellationToken token)
    {
        var pending = new List<Task>(hooks);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (done.Exception?.GetBaseException() is XmppLinkLostException lost && !token.IsCancellationRequested) throw lost;
        }
        await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            var element = await connection.ReadStanzaAsync().ConfigureAwait(false);
            try
            {
                switch (element.Name.LocalName)
                {
                    case "presence":
                        registry.DispatchPresence(new PresenceStanza(element), connection);
                        break;
                    case "message":
                        registry.DispatchMessage(element);
                        break;
                    case "iq":
                        var iq = new IqStanza(element);
                        if (iq.Type is IqType.Result or IqType.Error)
                        {
                            if (!connection.CompleteRequest(iq)) logger.LogDebug("Unmatched iq answer {Id} from {From}", iq.Id, iq.FromText);
                        }
                        else
                        {
                            AnswerRequest(iq);
                        }
                        break;
                }
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not handle a stanza from {From}", (string?)element.Attribute("from"));
            }
        }
    }

    /// <summary>
    /// Answers a request (get/set) through the registry. A request without <c>from</c> is not answered (there is no one
    /// to address the answer to); a handler that throws gets <c>internal-server-error</c>/<c>wait</c> (RFC 6120 §8.2.3:
    /// every get/set is answered).
    /// </summary>
    private void AnswerRequest(IqStanza iq)
    {
        if (string.IsNullOrEmpty(iq.FromText))
        {
            logger.LogDebug("Ignoring iq request {Id} without from", iq.Id);
            return;
        }
        IqStanza answer;
        try
        {
            answer = registry.Answer(iq);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Answering iq {Id} from {From} failed; replying internal-server-error", iq.Id, iq.FromText);
            answer = iq.ErrorFor("internal-server-error", "wait");
        }
        connection.Send(answer.Element);
    }
}
