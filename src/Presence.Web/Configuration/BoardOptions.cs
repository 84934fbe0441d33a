namespace Presence.Web.Configuration;

/// <summary>Board settings, section <c>Presence:Board</c>.</summary>
internal sealed class BoardOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Presence:Board";

    /// <summary>Show the board without sign-in (default <c>false</c>).</summary>
    public bool AllowAnonymous { get; set; }
}
