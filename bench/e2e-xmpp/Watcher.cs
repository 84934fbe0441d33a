using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Presence.Bench.E2eXmpp;

/// <summary>
/// The subscribed client's view of the node: parses pubsub event messages (XEP-0060 §7.1.2 publish, §7.2.2 retract,
/// §8.5 purge) and the component's presence from the raw stream, timestamping each.
/// </summary>
public sealed partial class Watcher
{
    private readonly StringBuilder _buffer = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _items = [];
    private readonly List<(string Id, string Status, long At)> _published = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Watcher(string componentJid) => ComponentJid = componentJid;

    public string ComponentJid { get; }

    /// <summary>Stopwatch timestamp of the last purge notification.</summary>
    public long LastPurgeAt { get; private set; }

    /// <summary>Stopwatch timestamp of the last available presence of the component.</summary>
    public long LastServiceAvailableAt { get; private set; }

    public int ItemCount { get { lock (_gate) return _items.Count; } }

    /// <summary>True when the node holds an item for <paramref name="id"/>.</summary>
    public bool HasItem(string id) { lock (_gate) return _items.ContainsKey(id); }

    public void OnText(string text, long at)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _buffer.Append(text);
            var all = _buffer.ToString();
            // Parse only complete top-level stanzas: up to the last </message>, </presence> or self-closing <presence/>.
            var m = all.LastIndexOf("</message>", StringComparison.Ordinal);
            var p = all.LastIndexOf("</presence>", StringComparison.Ordinal);
            var sc = SelfClosingPresenceRegex().Match(all);
            var cut = Math.Max(Math.Max(m < 0 ? 0 : m + 10, p < 0 ? 0 : p + 11), sc.Success ? sc.Index + sc.Length : 0);
            if (cut == 0) return;
            var complete = all[..cut];
            _buffer.Remove(0, cut);
            Parse(complete, at);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private void Parse(string text, long at)
    {
        foreach (Match m in EventRegex().Matches(text))
        {
            if (m.Groups["purge"].Success) { _items.Clear(); LastPurgeAt = at; continue; }
            if (m.Groups["retract"].Success) { _items.Remove(m.Groups["retract"].Value); continue; }
            if (m.Groups["item"].Success)
            {
                _items[m.Groups["item"].Value] = m.Groups["status"].Value;
                _published.Add((m.Groups["item"].Value, m.Groups["status"].Value, at));
                continue;
            }
            if (m.Groups["presence"].Success && m.Groups["presence"].Value.Contains(ComponentJid, StringComparison.Ordinal)
                && !m.Groups["presence"].Value.Contains("type=", StringComparison.Ordinal))
                LastServiceAvailableAt = at;
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked under the lock after every parsed chunk).</summary>
    public async Task WaitAsync(Func<Watcher, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(this)) return;
                changed = _changed.Task;
            }
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) throw new TimeoutException($"watcher: no {what} within {timeout.TotalSeconds} s (items {_items.Count})");
            await changed.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency)).ContinueWith(_ => { });
        }
    }

    /// <summary>Timestamp of the first publish of <paramref name="id"/> with <paramref name="status"/> at or after <paramref name="since"/>, or null.</summary>
    public long? PublishedAt(string id, string status, long since)
    {
        for (var i = _published.Count - 1; i >= 0 && _published[i].At >= since; i--)
            if (_published[i].Id == id && _published[i].Status == status) return _published[i].At;
        return null;
    }

    /// <summary>Distinct ids published at or after <paramref name="since"/>.</summary>
    public int DistinctPublishedSince(long since) =>
        _published.Where(p => p.At >= since).Select(p => p.Id).Distinct().Count();

    [GeneratedRegex("<presence\\b[^>]*/>", RegexOptions.RightToLeft)]
    private static partial Regex SelfClosingPresenceRegex();

    [GeneratedRegex("<item\\b[^>]*?\\bid=['\"](?<item>[^'\"]+)['\"][^>]*>\\s*<user\\b[^>]*?\\bstatus=['\"](?<status>[a-z]+)['\"]|<retract\\b[^>]*?\\bid=['\"](?<retract>[^'\"]+)['\"]|<purge\\b[^>]*?\\bnode=['\"](?<purge>[^'\"]+)['\"]|(?<presence><presence\\b[^>]*>)")]
    private static partial Regex EventRegex();
}
