using Presence.Web.Api;
using Microsoft.AspNetCore.SignalR;
using Presence.Web.Hubs;

namespace Presence.Web.Tests.Hubs;

/// <summary>
/// A fake hub context for unit tests of the broadcaster's rules: records every group send and can hold the first send
/// until released (a slow connection), so bursts pile up deterministically behind it.
/// </summary>
internal sealed class RecordingHubContext : IHubContext<PresenceHub, IPresenceClient>
{
    private readonly TaskCompletionSource _firstSendStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(IReadOnlyList<string> Groups, UserPresenceDto Message)> _sent = [];
    private readonly List<(Func<IReadOnlyList<UserPresenceDto>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Hold the first send until <see cref="Release"/>.</summary>
    public bool HoldFirstSend { get; init; }

    /// <summary>Completes when the first send is in progress.</summary>
    public Task FirstSendStarted => _firstSendStarted.Task;

    /// <summary>Lets the held send complete.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Messages sent so far, in order.</summary>
    public IReadOnlyList<UserPresenceDto> Messages { get { lock (_sent) return [.. _sent.Select(s => s.Message)]; } }

    /// <summary>Groups of every send so far, in order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> SentGroups { get { lock (_sent) return [.. _sent.Select(s => s.Groups)]; } }

    /// <summary>Completes when the messages sent so far satisfy <paramref name="condition"/> (fails after 10 s).</summary>
    public Task WhenAsync(Func<IReadOnlyList<UserPresenceDto>, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sent)
        {
            if (condition([.. _sent.Select(s => s.Message)])) return Task.CompletedTask;
            _waiters.Add((condition, done));
        }
        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public IHubClients<IPresenceClient> Clients => new HubClients(this);

    public IGroupManager Groups => throw new NotSupportedException();

    private async Task RecordAsync(IReadOnlyList<string> groups, UserPresenceDto message)
    {
        if (HoldFirstSend && _firstSendStarted.TrySetResult()) await _release.Task;
        lock (_sent)
        {
            _sent.Add((groups, message));
            var messages = _sent.Select(s => s.Message).ToList();
            foreach (var w in _waiters.Where(w => w.Condition(messages)).ToList())
            {
                _waiters.Remove(w);
                w.Done.TrySetResult();
            }
        }
    }

    /// <summary>Batches sent to the batched all-users group so far, in order.</summary>
    public List<List<UserPresenceDto>> Batches { get; } = [];

    private sealed class Proxy(RecordingHubContext owner, IReadOnlyList<string> groups) : IPresenceClient
    {
        public Task PresenceChanged(UserPresenceDto presence) => owner.RecordAsync(groups, presence);

        public Task PresenceChangedBatch(List<UserPresenceDto> presences)
        {
            lock (owner._sent) owner.Batches.Add(presences);
            return Task.CompletedTask;
        }
    }

    private sealed class HubClients(RecordingHubContext owner) : IHubClients<IPresenceClient>
    {
        public IPresenceClient Groups(IReadOnlyList<string> groupNames) => new Proxy(owner, groupNames);

        public IPresenceClient All => throw new NotSupportedException();

        public IPresenceClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IPresenceClient Client(string connectionId) => throw new NotSupportedException();

        public IPresenceClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IPresenceClient Group(string groupName) => Groups([groupName]);

        public IPresenceClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IPresenceClient User(string userId) => throw new NotSupportedException();

        public IPresenceClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }
}
