using FactCheck.Server.Hosting;

var app = await FactCheckHost.BuildAsync(args);
await app.RunAsync();
