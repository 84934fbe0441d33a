namespace Presence.Web.Authentication;

/// <summary>Role names of the dashboard's Identity users.</summary>
internal static class DashboardRoles
{
    /// <summary>May manage API clients, watch the XMPP link and read the audit log (docs/ARCHITECTURE.md §10).</summary>
    public const string Admin = "admin";
}
