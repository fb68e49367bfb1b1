from nvflare._fake_kit import main

if __name__ == "__main__":
    main("server")
