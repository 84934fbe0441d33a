namespace Presence.Domain.Tracking;

/// <summary>Wire names of <see cref="ChangeCause"/> (kebab-case, as stored and returned by the API).</summary>
public static class ChangeCauses
{
    /// <summary>e.g. <c>xmpp-presence</c>, <c>api</c>, <c>expiry</c>, <c>link-loss</c>.</summary>
    public static string ToWire(this ChangeCause cause) => cause switch
    {
        ChangeCause.XmppPresence => "xmpp-presence",
        ChangeCause.Api => "api",
        ChangeCause.Expiry => "expiry",
        ChangeCause.LinkLoss => "link-loss",
        ChangeCause.PingTimeout => "ping-timeout",
        ChangeCause.RemoteServerError => "remote-server-error",
        ChangeCause.Restore => "restore",
        _ => "session-details",
    };

    /// <summary>Inverse of <see cref="ToWire"/>; unknown text gives <c>false</c>.</summary>
    public static bool TryParse(string? text, out ChangeCause cause)
    {
        foreach (var c in Enum.GetValues<ChangeCause>())
        {
            if (c.ToWire() == text) { cause = c; return true; }
        }
        cause = default;
        return false;
    }
}
