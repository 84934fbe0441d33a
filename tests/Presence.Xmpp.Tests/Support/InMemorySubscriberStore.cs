using System.Collections.Concurrent;
using Presence.Xmpp.Component;
using Presence.Xmpp.Roster;

namespace Presence.Xmpp.Tests.Support;

public sealed class InMemorySubscriberStore : ISubscriberStore
{
    public ConcurrentDictionary<string, bool> Items { get; } = new();

    public InMemorySubscriberStore(params string[] initial)
    {
        foreach (var s in initial) Items[s] = true;
    }

    public Task<IReadOnlyList<string>> GetAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. Items.Keys.Order()]);

    public Task AddAsync(string bareJid, CancellationToken cancellationToken) { Items[bareJid] = true; return Task.CompletedTask; }

    public Task RemoveAsync(string bareJid, CancellationToken cancellationToken) { Items.TryRemove(bareJid, out _); return Task.CompletedTask; }
}
