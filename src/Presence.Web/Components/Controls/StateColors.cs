using MudBlazor;
using Presence.Domain.Model;

namespace Presence.Web.Components.Controls;

/// <summary>MudBlazor colour and icon of each state; always shown next to the state's word.</summary>
internal static class StateColors
{
    /// <summary>The chip colour: available green, busy red, away amber, unavailable grey.</summary>
    public static Color Of(PresenceState state) => state switch
    {
        PresenceState.Available => Color.Success,
        PresenceState.Busy => Color.Error,
        PresenceState.Away => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>The state's icon (a shape that differs per state, for people who do not tell the colours apart).</summary>
    public static string Icon(PresenceState state) => state switch
    {
        PresenceState.Available => Icons.Material.Filled.CheckCircle,
        PresenceState.Busy => Icons.Material.Filled.DoNotDisturbOn,
        PresenceState.Away => Icons.Material.Filled.Schedule,
        _ => Icons.Material.Outlined.Circle,
    };
}
