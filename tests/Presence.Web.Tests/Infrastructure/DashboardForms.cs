using System.Text.RegularExpressions;
using Presence.Web.Authentication;

namespace Presence.Web.Tests.Infrastructure;

/// <summary>The dashboard's plain forms (sign-in, password change) posted as a browser without JavaScript posts them.</summary>
public static partial class DashboardForms
{
    /// <summary>The anti-forgery token of the form on <paramref name="page"/> (fetched with the client's cookies).</summary>
    public static async Task<string> AntiforgeryAsync(HttpClient client, string page = "/signin") =>
        AntiforgeryField().Match(await client.GetStringAsync(page)).Groups[1].Value;

    /// <summary>Posts <paramref name="fields"/> with the anti-forgery token of <paramref name="page"/> to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, IDictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await AntiforgeryAsync(client, page) };
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>Posts the sign-in form; the answer is the redirect (the client should not follow redirects).</summary>
    public static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password, string returnUrl = "/", string page = "/signin") =>
        PostAsync(client, page, SignInEndpoints.SignInPath, new Dictionary<string, string>
        {
            ["UserName"] = userName, ["Password"] = password, ["ReturnUrl"] = returnUrl,
        });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
