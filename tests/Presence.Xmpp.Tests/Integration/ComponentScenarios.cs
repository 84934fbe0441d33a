using System.Text.Json;

namespace Presence.Xmpp.Tests.Integration;

/// <summary>Steps shared by the component tests: real clients subscribing to the component and following its node.</summary>
public static class ComponentScenarios
{
    public const string Service = ProsodyServer.ComponentJid;
    public const string PubSubService = ProsodyServer.PubSubJid;
    public const string Node = "pubpresence";

    /// <summary>
    /// A user adds the component to the roster (RFC 6121 §3.1) and goes online: the component approves, asks back
    /// (approved by the client) and stores the subscriber.
    /// </summary>
    public static async Task SubscribeToComponentAsync(this XmppClientProcess client, LiveComponent component, string presence = "presence online 0")
    {
        await client.RunAsync("approve-all");
        await client.RunAsync(presence);
        await client.RunAsync("subscribe " + Service);
        await client.WaitForAsync(e => e.Is("subscribed") && e.Str("from") == Service, "subscribed from the component");
        await client.WaitForAsync(e => e.IsPresence(Service), "the component's presence");
        await component.Tracker.WaitUntilAsync(_ => component.Store.Items.ContainsKey(client.BareJid), $"{client.BareJid} stored as subscriber");
    }

    /// <summary>Follows the node with the pubpresence consumer protocol (probe service, subscribe, fetch, apply).</summary>
    public static Task ConsumeAsync(this XmppClientProcess client, double waitSeconds = 10) =>
        client.RunAsync($"consume {Service} {PubSubService} {Node} {waitSeconds}", TimeSpan.FromSeconds(waitSeconds + 10));

    /// <summary>The consumer's map has <paramref name="user"/> with <paramref name="status"/> (and the full JID if given).</summary>
    public static Func<Dictionary<string, JsonElement>, bool> Has(string user, string status, string? fullJid = null) =>
        users => users.TryGetValue(user, out var u) && u.Str("status") == status && (fullJid is null || u.Str("fulljid") == fullJid);
}
