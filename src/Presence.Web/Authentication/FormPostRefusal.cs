namespace Presence.Web.Authentication;

/// <summary>
/// Turns a dashboard form post the framework refused while reading it (<see cref="BadHttpRequestException"/>: a
/// missing or stale anti-forgery token, a body that is not valid form data or UTF-8, a value that does not bind, a body
/// over the size limit) into an answer for a person: the sign-in and password forms are shown again with
/// <c>error=form</c> ("the form expired or could not be read, try again"); other pages get the status with a one-line
/// text. Logged as one Debug line naming the path and status, never the values (they may be passwords).
/// </summary>
internal static class FormPostRefusal
{
    /// <summary>The middleware: runs the rest of the pipeline and answers a refused read as described above.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException bad) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FormPostRefusal))
                .LogDebug("Refused a request to {Path} that could not be read ({Status})", context.Request.Path.Value, bad.StatusCode);
            var form = context.Request.Path.Equals(SignInEndpoints.SignInPath, StringComparison.OrdinalIgnoreCase) ? "/signin"
                : context.Request.Path.Equals(PasswordEndpoints.Path, StringComparison.OrdinalIgnoreCase) ? PasswordEndpoints.Path
                : null;
            context.Response.Clear();
            if (form is not null)
            {
                context.Response.Redirect($"{context.Request.PathBase}{form}?error=form");
                return;
            }
            context.Response.StatusCode = bad.StatusCode;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("The request could not be read (a form that expired, or data that is not valid); go back, reload the page and try again.\n");
        }
    }
}
