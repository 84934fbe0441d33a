namespace Presence.Web.Authentication;

/// <summary>Role names of the dashboard's Identity users.</summary>
public static class DashboardRoles
{
    /// <summary>May manage API clients, watch the XMPP link and read the audit log (docs/ARCHITECTURE.md §10).</summary>
    public const string Admin = "admin";
}

/// <summary>Authorization policy names of the dashboard.</summary>
public static class DashboardPolicies
{
    /// <summary>
    /// Viewing the board and user pages: a signed-in user, or anyone when <c>Presence:Board:AllowAnonymous</c> is true.
    /// </summary>
    public const string Board = "board";

    /// <summary>Admin pages: a signed-in user in the <see cref="DashboardRoles.Admin"/> role.</summary>
    public const string Admin = "admin";
}
