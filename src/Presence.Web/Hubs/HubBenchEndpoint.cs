using Presence.Domain.Model;
using Presence.Domain.Tracking;

namespace Presence.Web.Hubs;

/// <summary>
/// A load driver for the hub fan-out benchmark (<c>bench/hub-fanout</c>), mapped only when
/// <see cref="PresenceHubOptions.BenchEndpoint"/> is set: <c>PUT /bench/presence/{user}/{protocol}</c> with
/// <c>{"status": "available|busy|away|unavailable", "message": "…"}</c> applies the status to the tracker (no token,
/// no history) and answers 204; bad input is answered 400 with a problem detail naming it.
/// </summary>
public static class HubBenchEndpoint
{
    /// <summary>Body of the bench PUT.</summary>
    /// <param name="Status">Unified state name.</param>
    /// <param name="Message">Status message; <c>null</c> for none.</param>
    public sealed record StatusBody(string? Status, string? Message);

    /// <summary>Maps the endpoint and logs a warning that it is enabled.</summary>
    public static void Map(WebApplication app)
    {
        app.Logger.LogWarning("Presence:Hub:BenchEndpoint is enabled: PUT /bench/presence/{{user}}/{{protocol}} changes presence without authentication. Benchmarks only.");
        app.MapPut("/bench/presence/{user}/{protocol}", (string user, string protocol, StatusBody body, PresenceTracker tracker) =>
        {
            if (!UserId.TryParse(user, out var id, out var error)) return Results.Problem($"Invalid user id '{user}': {error}.", statusCode: 400);
            if (Protocols.Validate(protocol) is not null || protocol == Protocols.Xmpp) return Results.Problem($"Invalid protocol '{protocol}'.", statusCode: 400);
            if (!PresenceStates.TryParse(body.Status, out var state)) return Results.Problem($"Unknown status '{body.Status}'; expected one of {PresenceStates.Names}.", statusCode: 400);
            tracker.Apply(new ProtocolStatusUpdate(id, protocol, state, body.Message ?? ""));
            return Results.NoContent();
        }).ExcludeFromDescription();
    }
}
