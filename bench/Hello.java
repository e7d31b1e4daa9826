/** The JVM floor of svirtctl's bench: a Java program that starts, prints one line and exits. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("hello");
  }
}
