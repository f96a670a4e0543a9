module example.com/avatars

go 1.18
