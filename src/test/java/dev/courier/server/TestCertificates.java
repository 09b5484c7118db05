package dev.courier.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate authority made at test time, writing PEM files into a directory: its own
 * certificate, a server certificate for 127.0.0.1 and localhost, and client certificates with a
 * given CN. No key is ever committed. EC P-256 keys: generating them takes microseconds, where RSA
 * keys would cost a test run real time. Uses the JDK's providers, so no global provider is added.
 */
public final class TestCertificates {
  /** PEM files of one certificate and its private key (PKCS#8). */
  public record Pem(Path cert, Path key) {}

  private static final String SIGNATURE = "SHA256withECDSA";

  private final Path dir;
  private final String name;
  private final KeyPair keys;
  private final X500Name subject;
  private final Path caFile;

  private TestCertificates(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    this.keys = newKeys();
    this.subject = new X500Name("CN=" + name + ",O=Courier tests");
    try {
      X509v3CertificateBuilder builder = builder(subject, keys)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      this.caFile = dir.resolve(name + "-ca.pem");
      write(caFile, sign(builder));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new CA called {@code name}, whose files go into {@code dir}. */
  public static TestCertificates authority(Path dir, String name) {
    return new TestCertificates(dir, name);
  }

  /** The CA's certificate, for a trust store ({@code tls_client_ca_file}, {@code --ca-file}). */
  public Path caFile() {
    return caFile;
  }

  /** A server certificate for 127.0.0.1 and localhost, signed by this CA. */
  public Pem server(String cn) {
    GeneralNames names = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")});
    return issue(cn, KeyPurposeId.id_kp_serverAuth, names);
  }

  /** A client certificate whose subject CN is {@code cn}, signed by this CA. */
  public Pem client(String cn) {
    return issue(cn, KeyPurposeId.id_kp_clientAuth, null);
  }

  private Pem issue(String cn, KeyPurposeId purpose, GeneralNames altNames) {
    KeyPair leafKeys = newKeys();
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(),
          new X500Name("CN=" + cn + ",O=Courier tests"), leafKeys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (altNames != null) {
        builder.addExtension(Extension.subjectAlternativeName, false, altNames);
      }
      String base = name + "-" + cn;
      Pem pem = new Pem(dir.resolve(base + "-cert.pem"), dir.resolve(base + "-key.pem"));
      write(pem.cert(), sign(builder));
      write(pem.key(), new PemObject("PRIVATE KEY", leafKeys.getPrivate().getEncoded()));
      return pem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JcaX509v3CertificateBuilder builder(X500Name subject, KeyPair keys) {
    return new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject, keys.getPublic());
  }

  private X509Certificate sign(X509v3CertificateBuilder builder) {
    try {
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder(SIGNATURE).build(keys.getPrivate())));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a test certificate", e);
    }
  }

  private static void write(Path file, Object pem) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pem);
    }
    Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC key generator", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(63, new SecureRandom()); // positive, as RFC 5280 asks
  }

  /** An hour back, so that a clock a little off still accepts the certificate. */
  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date notAfter() {
    return Date.from(Instant.now().plus(Duration.ofDays(1)));
  }
}
