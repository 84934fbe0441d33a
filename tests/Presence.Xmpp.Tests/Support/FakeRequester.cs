using System.Collections.Concurrent;
using System.Xml.Linq;
using Presence.Xmpp.Component;
using Presence.Xmpp.Stanzas;

namespace Presence.Xmpp.Tests.Support;

/// <summary>Records iq requests and lets the test answer them.</summary>
public sealed class FakeRequester : IIqRequester
{
    private readonly object _gate = new();
    private readonly List<(XElement Payload, string To, TaskCompletionSource<IqStanza> Done)> _pending = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<XElement> Sent { get; } = new();
    public bool AutoAnswer { get; set; }

    /// <summary>When set and <see cref="AutoAnswer"/> is on, builds the answer to each request (payload, to) instead of a result.</summary>
    public Func<XElement, string, IqStanza>? Responder { get; set; }
    public int MaxOutstanding;

    public Task<IqStanza> RequestAsync(IqType type, string to, XElement payload, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<IqStanza>(TaskCreationOptions.RunContinuationsAsynchronously);
        Sent.Enqueue(payload);
        lock (_gate)
        {
            if (AutoAnswer)
            {
                try { done.TrySetResult(Responder?.Invoke(payload, to) ?? Result(to)); }
                catch (Exception ex) { done.TrySetException(ex); } // e.g. a responder simulating a timeout
            }
            else
            {
                _pending.Add((payload, to, done));
                MaxOutstanding = Math.Max(MaxOutstanding, _pending.Count);
            }
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return done.Task;
    }

    public int Outstanding { get { lock (_gate) return _pending.Count; } }

    /// <summary>Waits until at least <paramref name="count"/> requests are outstanding.</summary>
    public async Task WaitOutstandingAsync(int count)
    {
        var token = ComponentHarness.Timeout();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_pending.Count >= count) return;
                changed = _changed.Task;
            }
            await changed.WaitAsync(token);
        }
    }

    /// <summary>Waits until a condition over what was sent holds (checked after every request).</summary>
    public async Task WaitSentAsync(Func<IReadOnlyCollection<XElement>, bool> condition)
    {
        var token = ComponentHarness.Timeout();
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition(Sent)) return;
            await changed.WaitAsync(token);
        }
    }

    /// <summary>Answers every outstanding request with a result.</summary>
    public int AnswerAll()
    {
        List<TaskCompletionSource<IqStanza>> done;
        List<string> to;
        lock (_gate)
        {
            done = [.. _pending.Select(p => p.Done)];
            to = [.. _pending.Select(p => p.To)];
            _pending.Clear();
        }
        for (var i = 0; i < done.Count; i++) done[i].TrySetResult(Result(to[i]));
        return done.Count;
    }

    /// <summary>An error answer from <paramref name="from"/> with the given condition (RFC 6120 §8.3).</summary>
    public static IqStanza Error(string from, string condition, string type = "cancel") =>
        new(new XElement(Namespaces.Component + "iq", new XAttribute("type", "error"), new XAttribute("from", from),
            new StanzaError(type, condition, null).ToElement()));

    private static IqStanza Result(string from) =>
        new(new XElement(Namespaces.Component + "iq", new XAttribute("type", "result"), new XAttribute("from", from)));
}
