import CivicCLI

await CivicCommand.main()
