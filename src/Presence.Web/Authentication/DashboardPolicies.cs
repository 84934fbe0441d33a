namespace Presence.Web.Authentication;

/// <summary>Authorization policy names of the dashboard.</summary>
internal static class DashboardPolicies
{
    /// <summary>
    /// Viewing the board and user pages: a signed-in user, or anyone when <c>Presence:Board:AllowAnonymous</c> is true.
    /// </summary>
    public const string Board = "board";

    /// <summary>Admin pages: a signed-in user in the <see cref="DashboardRoles.Admin"/> role.</summary>
    public const string Admin = "admin";
}
