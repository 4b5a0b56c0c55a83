"""The rules of online joining and member self-service; views stay thin."""
