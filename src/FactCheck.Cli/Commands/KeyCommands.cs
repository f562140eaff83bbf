namespace FactCheck.Cli.Commands;

/// <summary><c>keys create</c>, <c>keys list</c>, <c>keys revoke</c> (the admin role).</summary>
internal static class KeyCommands
{
    private static readonly string[] Headers = ["KEY", "PRINCIPAL", "ROLES", "CREATED", "REVOKED", "DESCRIPTION"];

    public static Command Create() => new("keys", "Manage API keys (needs the admin role)") { New(), List(), Revoke() };

    private static Command New()
    {
        var principal = Cli.TextOption("--principal", "Who the key acts as; recorded in the audit log", "principal", required: true);
        var roles = Cli.WordsOption<AccessRole>("--role", "A role the key has; repeat for more");
        roles.Required = true;
        var description = Cli.TextOption("--description", "What the key is for");
        var reason = Cli.ReasonOption();
        var command = new Command("create", "Create an API key and print its secret, which is shown only this once")
        {
            principal, roles, description, reason,
        };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var response = await context.Server.Admin.CreateApiKeyAsync(new CreateApiKeyRequest
            {
                ApiKey = new ApiKey
                {
                    Principal = context.Parse.GetRequiredValue(principal),
                    Roles = { context.Parse.GetRequiredValue(roles) },
                    Description = context.Parse.GetValue(description) ?? "",
                },
                Reason = context.Parse.GetValue(reason) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Print(response, r =>
            {
                Output.Table(Headers, [Row(r.ApiKey)]);
                Console.WriteLine($"secret: {r.Secret}");
            });
            Output.Note("Keep the secret now: it is not shown again. Clients send it as 'authorization: Bearer <secret>'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List API keys, revoked ones included");
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var response = await context.Server.Admin.ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: cancellationToken);
            context.Output.Print(response, r => Output.Table(Headers, r.ApiKeys.Select(Row)));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Revoke()
    {
        var name = Cli.NameArgument("apiKeys");
        var reason = Cli.ReasonOption();
        var command = new Command("revoke", "Revoke an API key; every server refuses it within seconds") { name, reason };
        command.SetRpcAction(async (context, cancellationToken) =>
        {
            var key = await context.Server.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest
            {
                Name = context.Parse.ResourceName(name, "apiKeys"),
                Reason = context.Parse.GetValue(reason) ?? "",
            }, cancellationToken: cancellationToken);
            context.Output.Print(key, k => Output.Table(Headers, [Row(k)]));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string[] Row(ApiKey key) =>
    [
        key.Name, key.Principal, string.Join(",", key.Roles.Select(ProtoEnums.Word)),
        Output.Format(key.CreateTime), Output.Format(key.RevokeTime), Output.Truncate(key.Description, 50),
    ];
}
