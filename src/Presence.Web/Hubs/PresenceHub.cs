using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Api;

using Presence.Web.Metrics;

namespace Presence.Web.Hubs;

/// <summary>
/// The live presence feed for other web applications, at <c>/hubs/presence</c> (docs/ARCHITECTURE.md §9). A client authenticates
/// with an API token (query <c>access_token</c> or <c>Authorization: Bearer</c>) or the dashboard's sign-in cookie,
/// calls <see cref="SubscribeAll"/> or <see cref="Subscribe"/> to receive a snapshot, and is then pushed
/// <see cref="IPresenceClient.PresenceChanged"/> for those users. Subscriptions belong to the connection: a client
/// subscribes again after reconnecting (the snapshot it receives then covers what it missed).
/// </summary>
[Authorize(Policy = PresenceHubAuthentication.PolicyName)]
public sealed class PresenceHub(PresenceTracker tracker, IOptions<PresenceHubOptions> options, HubConnectionRevalidation revalidation) : Hub<IPresenceClient>
{
    private const string UsersKey = "presence:users";
    private const string AllKey = "presence:all";

    /// <summary>
    /// Subscribes this connection to every user (replacing per-user subscriptions) and returns the snapshot of all
    /// known users, ordered by user id. Changes after the snapshot are pushed one user per
    /// <see cref="IPresenceClient.PresenceChanged"/>; a push may repeat a state the snapshot already holds (compare
    /// <c>lastChange</c>).
    /// </summary>
    /// <returns>Every known user's presence (the REST shape, docs/ARCHITECTURE.md §8).</returns>
    public Task<List<UserPresenceDto>> SubscribeAll() => JoinAllAsync(PresenceGroups.All, PresenceGroups.AllBatched);

    /// <summary>
    /// Like <see cref="SubscribeAll"/>, but changes are pushed as <see cref="IPresenceClient.PresenceChangedBatch"/>:
    /// one message per flush interval carrying every user that changed (each with its latest state). For clients that
    /// follow everybody in a large organisation: far fewer messages to receive and parse under load.
    /// </summary>
    /// <returns>Every known user's presence (the REST shape, docs/ARCHITECTURE.md §8).</returns>
    public Task<List<UserPresenceDto>> SubscribeAllBatched() => JoinAllAsync(PresenceGroups.AllBatched, PresenceGroups.All);

    private async Task<List<UserPresenceDto>> JoinAllAsync(string group, string otherAllGroup)
    {
        // Join before taking the snapshot so that no change falls between the two.
        await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        if (Context.Items.TryGetValue(AllKey, out var previous) && previous as string == otherAllGroup)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, otherAllGroup, Context.ConnectionAborted);
        }
        Context.Items[AllKey] = group;
        var users = SubscribedUsers();
        foreach (var user in users)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PresenceGroups.ForUser(user), Context.ConnectionAborted);
        }
        users.Clear();
        var snapshot = tracker.Snapshot();
        var result = new List<UserPresenceDto>(snapshot.Users.Count);
        foreach (var user in snapshot.Users) result.Add(UserPresenceDto.From(user));
        return result;
    }

    /// <summary>
    /// Subscribes this connection to <paramref name="users"/> (in addition to earlier subscriptions) and returns their
    /// current presence, in the order given; a user the service does not know yet is returned as overall
    /// <c>unavailable</c> with no protocols and a <c>null</c> <c>lastChange</c>. Ids are bare JIDs, normalised
    /// (docs/ARCHITECTURE.md §3). When the connection is subscribed to every user, only the snapshot is returned.
    /// </summary>
    /// <param name="users">
    /// Bare JIDs, at most <see cref="PresenceHubOptions.MaxUsersPerSubscribe"/>; the connection's subscriptions in total
    /// (earlier calls included) are capped at the same number.
    /// </param>
    /// <returns>The users' presence (the REST shape, docs/ARCHITECTURE.md §8).</returns>
    /// <exception cref="HubException">No list, too many ids (in this call or in total for the connection), or an invalid id (the message names each one and why); nothing is subscribed then.</exception>
    public async Task<List<UserPresenceDto>> Subscribe(string[] users)
    {
        var max = options.Value.MaxUsersPerSubscribe;
        var ids = ParseUsers(users, max);
        if (!Context.Items.ContainsKey(AllKey))
        {
            var subscribed = SubscribedUsers();
            var added = ids.Count(id => !subscribed.Contains(id));
            if (subscribed.Count + added > max)
            {
                throw new HubException($"A connection may be subscribed to at most {max} users; it has {subscribed.Count} and this call adds {added} more. " +
                    "Nothing was subscribed; use SubscribeAll to follow everybody, or UnsubscribeAll first.");
            }
            foreach (var id in ids)
            {
                if (subscribed.Add(id))
                {
                    await Groups.AddToGroupAsync(Context.ConnectionId, PresenceGroups.ForUser(id), Context.ConnectionAborted);
                }
            }
        }
        var result = new List<UserPresenceDto>(ids.Count);
        foreach (var id in ids) result.Add(tracker.Get(id) is { } p ? UserPresenceDto.From(p) : UserPresenceDto.Unknown(id));
        return result;
    }

    /// <summary>
    /// Counts the connection in <c>presence_hub_connections</c> and follows it so that it is closed once its token is no
    /// longer accepted or its account is deleted or changed (<see cref="HubConnectionRevalidation"/>).
    /// </summary>
    public override Task OnConnectedAsync()
    {
        PresenceInstruments.HubConnections.Add(1);
        revalidation.Track(Context);
        return base.OnConnectedAsync();
    }

    /// <summary>Uncounts the connection and stops following it.</summary>
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        PresenceInstruments.HubConnections.Add(-1);
        revalidation.Forget(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Stops all pushes to this connection (all-users, batched and per-user subscriptions).</summary>
    public async Task UnsubscribeAll()
    {
        if (Context.Items.Remove(AllKey, out var group) && group is string name)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, name, Context.ConnectionAborted);
        }
        var subscribed = SubscribedUsers();
        foreach (var user in subscribed)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, PresenceGroups.ForUser(user), Context.ConnectionAborted);
        }
        subscribed.Clear();
    }

    /// <summary>Validates and normalises user ids; all are checked before anything is subscribed.</summary>
    /// <exception cref="HubException">The message names every invalid id and why it was refused.</exception>
    internal static List<UserId> ParseUsers(string[]? users, int max)
    {
        if (users is null) throw new HubException("Subscribe needs a list of user ids (bare JIDs such as alice@example.com).");
        if (users.Length > max) throw new HubException($"Subscribe accepts at most {max} user ids per call; {users.Length} were given.");
        var ids = new List<UserId>(users.Length);
        var seen = new HashSet<UserId>();
        List<string>? errors = null;
        foreach (var text in users)
        {
            if (UserId.TryParse(text, out var id, out var error))
            {
                if (seen.Add(id)) ids.Add(id);
            }
            else
            {
                (errors ??= []).Add($"'{text}': {error}");
            }
        }
        if (errors is not null)
        {
            throw new HubException($"Invalid user id{(errors.Count > 1 ? "s" : "")} {string.Join("; ", errors)}. Nothing was subscribed.");
        }
        return ids;
    }

    private HashSet<UserId> SubscribedUsers()
    {
        if (Context.Items.TryGetValue(UsersKey, out var value) && value is HashSet<UserId> set) return set;
        set = [];
        Context.Items[UsersKey] = set;
        return set;
    }
}
