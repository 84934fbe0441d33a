namespace Presence.Web.Authentication;

/// <summary>A dashboard account as the users page shows it.</summary>
/// <param name="Id">Identity's user id.</param>
/// <param name="UserName">Sign-in name.</param>
/// <param name="IsAdmin">In the admin role (else a viewer).</param>
/// <param name="MustChangePassword">Holds a one-time password not changed yet.</param>
/// <param name="LockedOutUntil">End of a lockout after failed sign-ins (UTC), or <c>null</c>.</param>
public sealed record DashboardUserInfo(string Id, string UserName, bool IsAdmin, bool MustChangePassword, DateTimeOffset? LockedOutUntil);
